package io.github.cloudinarybackup.it;

import java.nio.file.Path;
import java.util.Arrays;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;
import org.mapdb.Store;

/**
 * Damages a catalog as a disk fault would: a few bytes of the one MapDB record that holds a given
 * string are changed, here the length of the value stored after it, so the record no longer reads.
 */
final class CatalogDamage {

  private CatalogDamage() {}

  /**
   * Changes the byte after {@code key} in the record that holds it; fails if there is no such
   * record.
   */
  static void breakTheValueAfter(Path catalog, String key) {
    byte[] packed = packed(key);
    DB db = DBMaker.fileDB(catalog.toFile()).transactionEnable().fileChannelEnable().make();
    try {
      Store store = db.getStore();
      for (var recids = store.getAllRecids(); recids.hasNext(); ) {
        long recid = recids.next();
        byte[] record;
        try {
          record = store.get(recid, Serializer.BYTE_ARRAY_NOSIZE);
        } catch (org.mapdb.DBException.GetVoid free) {
          continue; // a record id not in use
        }
        int at = record == null ? -1 : indexOf(record, packed);
        if (at >= 0 && at + packed.length < record.length) {
          byte[] broken = Arrays.copyOf(record, record.length);
          broken[at + packed.length] = 0x7f; // a packed length that goes on into the next bytes
          store.update(recid, broken, Serializer.BYTE_ARRAY_NOSIZE);
          db.commit();
          return;
        }
      }
      throw new AssertionError("no record holds " + key);
    } finally {
      db.close();
    }
  }

  /**
   * A string as MapDB's string serializer writes it: each char as a packed int (7 bits a byte, the
   * last with its top bit set).
   */
  private static byte[] packed(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      int c = text.charAt(i);
      int shift = 31 - Integer.numberOfLeadingZeros(c);
      shift -= shift % 7;
      while (shift != 0) {
        out.write((c >>> shift) & 0x7f);
        shift -= 7;
      }
      out.write((c & 0x7f) | 0x80);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= in.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
