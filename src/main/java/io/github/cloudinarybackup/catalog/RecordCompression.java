package io.github.cloudinarybackup.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.mapdb.DataInput2;
import org.mapdb.DataOutput2;
import org.mapdb.Serializer;
import org.mapdb.serializer.SerializerCompressionWrapper;

/**
 * The stored form of a catalog record: its JSON, LZF-compressed byte for byte as MapDB's own {@code
 * SerializerCompressionWrapper<String>} writes it (so catalogs written either way read either way).
 * Compressing here rather than inside MapDB lets the download threads do it in parallel, leaving
 * the one thread that writes into MapDB only the write.
 */
final class RecordCompression {

  private static final Serializer<String> LZF_STRING =
      new SerializerCompressionWrapper<>(Serializer.STRING);

  /** Stores and loads the compressed bytes as they are: MapDB gives each value record its size. */
  static final Serializer<byte[]> STORED_AS_IS =
      new Serializer<>() {
        @Override
        public void serialize(DataOutput2 out, byte[] value) throws IOException {
          out.write(value);
        }

        @Override
        public byte[] deserialize(DataInput2 in, int available) throws IOException {
          byte[] value = new byte[available];
          in.readFully(value);
          return value;
        }

        @Override
        public boolean isTrusted() {
          return true;
        }
      };

  private RecordCompression() {}

  static byte[] compress(String json) {
    DataOutput2 out = new DataOutput2();
    try {
      LZF_STRING.serialize(out, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: does not happen
    }
    return out.copyBytes();
  }

  static String decompress(byte[] stored) {
    try {
      return LZF_STRING.deserialize(new DataInput2.ByteArray(stored), stored.length);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable catalog record", e);
    }
  }
}
