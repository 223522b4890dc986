package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.AllAtOnce;
import io.github.cloudinarybackup.InstancePool;
import io.github.cloudinarybackup.cloudinary.JsonValues;
import io.github.cloudinarybackup.cloudinary.RandomJson;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.mapdb.DataInput2;
import org.mapdb.DataOutput2;
import org.mapdb.Serializer;
import org.mapdb.serializer.SerializerCompressionWrapper;

/**
 * The stored form of a record against MapDB's own {@code SerializerCompressionWrapper<String>}:
 * each reads what the other writes, with seeded JSON records, text that does not compress, and
 * sizes from empty to beyond the compressor's 64 KiB window.
 */
class RecordCompressionTest {

  private static final Serializer<String> MAPDB =
      new SerializerCompressionWrapper<>(Serializer.STRING);

  @Test
  void mapDbsWrapperReadsEveryStoredRecordAndViceVersa() throws Exception {
    assertTrue(RecordCompression.pooled(), "MapDB's CompressLZF is reachable");
    long seed = Long.getLong("recordcompression.seed", 20261202L);
    System.out.println("RecordCompressionTest seed " + seed);
    Random random = new Random(seed);
    for (int i = 0; i < 3_000; i++) {
      String text = text(random, i);
      byte[] stored = RecordCompression.compress(text);
      String where = "text " + i + " of " + text.length() + " chars (seed " + seed + ")";
      assertEquals(text, MAPDB.deserialize(new DataInput2.ByteArray(stored), stored.length), where);
      assertEquals(text, RecordCompression.decompress(stored), where);
      assertEquals(text, RecordCompression.decompress(mapDbs(text)), where);
    }
  }

  @Test
  void textThatDoesNotCompressIsStoredPlainAfterAZeroAsMapDbDoes() throws Exception {
    Random random = new Random(7);
    StringBuilder noise = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      noise.append((char) (' ' + random.nextInt(95)));
    }
    String text = noise.toString();
    DataOutput2 plain = new DataOutput2();
    Serializer.STRING.serialize(plain, text);
    DataOutput2 expected = new DataOutput2();
    expected.packInt(0);
    expected.write(plain.buf, 0, plain.pos);
    assertArrayEquals(expected.copyBytes(), RecordCompression.compress(text));
    assertArrayEquals(mapDbs(text), RecordCompression.compress(text));
    assertArrayEquals(mapDbs(""), RecordCompression.compress(""));
  }

  /**
   * LZF makes text that does not compress longer, by more than the 41 bytes MapDB gives it past 1.3
   * KB: the compressor runs out of room, and the text is stored plain, as MapDB stores it.
   */
  @Test
  void longTextThatDoesNotCompressOverflowsTheCompressorAndIsStoredPlain() throws Exception {
    Random random = new Random(11);
    for (int length : new int[] {2_000, 20_000, 100_000}) {
      StringBuilder noise = new StringBuilder();
      for (int i = 0; i < length; i++) {
        noise.append((char) (1 + random.nextInt(0x2FFF)));
      }
      String text = noise.toString();
      byte[] stored = RecordCompression.compress(text);
      assertArrayEquals(mapDbs(text), stored, length + " chars");
      assertEquals(text, RecordCompression.decompress(stored));
    }
  }

  @Test
  void aRecordThatCompressesIsStoredShorter() {
    String json = JsonValues.toJson(RandomJson.map(new Random(3), 0)).repeat(20);
    byte[] stored = RecordCompression.compress(json);
    assertTrue(stored.length < json.length() / 4, stored.length + " bytes for " + json.length());
  }

  /** 64 download threads compressing at once: the right bytes, and few compressors kept after. */
  @Test
  void manyThreadsCompressingAtOnceKeepAFewCompressors() throws Exception {
    int threads = 64;
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    AllAtOnce.run(
        threads,
        thread -> {
          Random random = new Random(1000 + thread);
          for (int i = 0; i < 200; i++) {
            String text = text(random, i);
            if (!text.equals(RecordCompression.decompress(RecordCompression.compress(text)))) {
              wrong.add(text);
            }
          }
        });
    assertEquals(List.of(), List.copyOf(wrong));
    assertTrue(
        RecordCompression.compressorsKept() <= InstancePool.FEW,
        RecordCompression.compressorsKept() + " compressors kept after " + threads + " threads");
  }

  private static byte[] mapDbs(String text) throws Exception {
    DataOutput2 out = new DataOutput2();
    MAPDB.serialize(out, text);
    return out.copyBytes();
  }

  /** A record's JSON mostly; now and then text that does not compress, or a very long one. */
  private static String text(Random random, int i) {
    switch (random.nextInt(10)) {
      case 0:
        StringBuilder noise = new StringBuilder();
        for (int n = random.nextInt(300); n > 0; n--) {
          noise.append((char) (1 + random.nextInt(0x2FFF)));
        }
        return noise.toString();
      case 1:
        return JsonValues.toJson(RandomJson.map(random, 0)).repeat(1 + random.nextInt(400));
      default:
        return JsonValues.toJson(RandomJson.map(random, 0));
    }
  }
}
