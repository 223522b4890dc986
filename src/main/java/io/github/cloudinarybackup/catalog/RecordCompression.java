package io.github.cloudinarybackup.catalog;

import io.github.cloudinarybackup.InstancePool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.mapdb.DataInput2;
import org.mapdb.DataOutput2;
import org.mapdb.Serializer;
import org.mapdb.serializer.SerializerCompressionWrapper;

/**
 * The stored form of a catalog record: its JSON, LZF-compressed in the form MapDB's own {@code
 * SerializerCompressionWrapper<String>} writes (so catalogs written either way read either way).
 * Compressing here rather than inside MapDB lets the download threads do it in parallel, leaving
 * the one thread that writes into MapDB only the write.
 *
 * <p>The compressing is MapDB's own {@code CompressLZF}, but its instances are lent from a pool:
 * the wrapper keeps one per thread, each with a 64 KiB hash table once it has compressed, which
 * made 4 MiB of live heap for the 64 download threads of an {@code auto} run (docs/benchmarks.md,
 * session 13). Reading back needs no table, and stays with the wrapper.
 */
final class RecordCompression {

  private static final Serializer<String> LZF_STRING =
      new SerializerCompressionWrapper<>(Serializer.STRING);

  /**
   * MapDB's {@code CompressLZF}, package-private, reached once through reflection: its constructor
   * and {@code int compress(byte[] in, int inLength, byte[] out, int outPos)}, which returns the
   * end in out. Without them (another MapDB version) records are compressed by MapDB's wrapper as
   * before, one compressor per thread, and RecordCompressionTest fails.
   */
  private static final MethodHandle NEW_LZF;

  private static final MethodHandle LZF_COMPRESS;

  static {
    MethodHandle[] found = lzf();
    NEW_LZF = found == null ? null : found[0];
    LZF_COMPRESS = found == null ? null : found[1];
  }

  private static final InstancePool<Object> COMPRESSORS =
      new InstancePool<>(RecordCompression::newCompressor);

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

  /**
   * As {@code SerializerCompressionWrapper.serialize} writes it: the size plus one and the LZF
   * bytes, or a 0 and the plain bytes when compressing does not make them shorter.
   */
  static byte[] compress(String json) {
    try {
      if (LZF_COMPRESS == null) {
        DataOutput2 out = new DataOutput2();
        LZF_STRING.serialize(out, json);
        return out.copyBytes();
      }
      DataOutput2 plain = new DataOutput2();
      Serializer.STRING.serialize(plain, json);
      byte[] compressed = new byte[plain.pos + 41];
      int length = lzf(plain.buf, plain.pos, compressed);
      DataOutput2 out = new DataOutput2();
      if (length == 0 || length >= plain.pos) {
        out.packInt(0);
        out.write(plain.buf, 0, plain.pos);
      } else {
        out.packInt(plain.pos + 1);
        out.write(compressed, 0, length);
      }
      return out.copyBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: does not happen
    }
  }

  static String decompress(byte[] stored) {
    try {
      return LZF_STRING.deserialize(new DataInput2.ByteArray(stored), stored.length);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable catalog record", e);
    }
  }

  /** Whether the compressors are pooled, not MapDB's one per thread (for tests). */
  static boolean pooled() {
    return LZF_COMPRESS != null;
  }

  /** How many compressors are kept between uses (for tests). */
  static int compressorsKept() {
    return COMPRESSORS.kept();
  }

  /** The end of the compressed bytes in {@code out}, or 0 when they would not fit (as MapDB). */
  private static int lzf(byte[] in, int length, byte[] out) {
    Object compressor = COMPRESSORS.take();
    try {
      return (int) LZF_COMPRESS.invokeExact(compressor, in, length, out, 0);
    } catch (IndexOutOfBoundsException e) {
      return 0;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("MapDB's LZF compressor failed", e);
    } finally {
      COMPRESSORS.giveBack(compressor);
    }
  }

  private static Object newCompressor() {
    try {
      return (Object) NEW_LZF.invokeExact();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot make MapDB's LZF compressor", e);
    }
  }

  /** The constructor and compress method of MapDB's compressor, or null. */
  private static MethodHandle[] lzf() {
    try {
      Class<?> type = Class.forName("org.mapdb.serializer.CompressLZF");
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      Method compress =
          type.getDeclaredMethod("compress", byte[].class, int.class, byte[].class, int.class);
      compress.setAccessible(true);
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      return new MethodHandle[] {
        lookup.unreflectConstructor(constructor).asType(MethodType.methodType(Object.class)),
        lookup
            .unreflect(compress)
            .asType(
                MethodType.methodType(
                    int.class, Object.class, byte[].class, int.class, byte[].class, int.class))
      };
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
