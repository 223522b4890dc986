package io.github.cloudinarybackup.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DataInput2;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;

/**
 * The store file's page cache: it reads what the file holds, whatever was written, and stays small.
 */
class PageCachedVolumeTest {

  private static final int PAGE = PageCachedVolume.PAGE;

  @TempDir Path tmp;

  @Test
  void readsWhatWasWrittenThroughAnyMixOfWritesGrowthAndTruncation() throws Exception {
    long seed = 20261201L;
    System.out.println("PageCachedVolumeTest seed " + seed);
    Random random = new Random(seed);
    Path path = tmp.resolve("store");
    Files.createFile(path);
    // a few pages only, so that pages are dropped and read again all along
    PageCachedVolume volume =
        new PageCachedVolume(new FileChannelVol(path.toFile(), false, 0L, 13, 0L), 3);
    byte[] model = new byte[0];
    for (int step = 0; step < 20_000; step++) {
      int op = random.nextInt(10);
      if (op < 3 || model.length < 64) {
        // a write, sometimes past the end (which grows the file) or across pages
        long offset = random.nextInt(Math.max(1, model.length + PAGE));
        byte[] bytes = new byte[1 + random.nextInt(op == 0 ? 3 * PAGE : 16)];
        random.nextBytes(bytes);
        if (offset + bytes.length > model.length) {
          // as MapDB does before it writes past the end
          volume.ensureAvailable(offset + bytes.length);
          model = Arrays.copyOf(model, (int) volume.length());
        }
        if (random.nextBoolean() && bytes.length >= 8) {
          volume.putLong(offset, ByteBuffer.wrap(bytes).getLong());
          bytes = Arrays.copyOf(bytes, 8);
        } else {
          volume.putData(offset, bytes, 0, bytes.length);
        }
        model = laid(model, offset, bytes);
      } else if (op == 3) {
        long end = Math.min(model.length, random.nextInt(model.length) + random.nextInt(PAGE));
        long start = random.nextInt((int) end + 1);
        volume.clear(start, end);
        model = laid(model, start, new byte[(int) (end - start)]);
      } else if (op == 4 && random.nextInt(20) == 0) {
        int size = random.nextInt(model.length + 1);
        volume.truncate(size);
        model = Arrays.copyOf(model, size);
      } else if (op == 5 && random.nextInt(10) == 0) {
        long offset = model.length + random.nextInt(3 * PAGE);
        volume.ensureAvailable(offset);
        // the file's volume grows the file to a whole slice (8 KiB here), zeros
        model = Arrays.copyOf(model, (int) Math.max(model.length, volume.length()));
      } else {
        int size = 1 + random.nextInt(Math.min(model.length, random.nextBoolean() ? 8 : 2 * PAGE));
        long offset = random.nextInt(model.length - size + 1);
        byte[] expected = Arrays.copyOfRange(model, (int) offset, (int) offset + size);
        switch (random.nextInt(4)) {
          case 0 -> {
            if (size >= 8) {
              assertEquals(
                  ByteBuffer.wrap(expected).getLong(), volume.getLong(offset), "step " + step);
            }
          }
          case 1 -> {
            if (size >= 4) {
              assertEquals(
                  ByteBuffer.wrap(expected).getInt(), volume.getInt(offset), "step " + step);
            }
          }
          case 2 -> {
            DataInput2 in = volume.getDataInput(offset, size);
            byte[] read = new byte[size];
            in.readFully(read);
            assertArrayEquals(expected, read, "step " + step);
          }
          default -> {
            byte[] read = new byte[size + 2];
            volume.getData(offset, read, 1, size);
            assertArrayEquals(expected, Arrays.copyOfRange(read, 1, size + 1), "step " + step);
          }
        }
      }
      assertEquals(model.length, volume.length(), "step " + step);
      assertTrue(volume.cachedPages() <= 3, "step " + step);
    }
    volume.sync();
    volume.close();
    // and the file itself holds every write
    assertArrayEquals(model, Files.readAllBytes(path));
  }

  @Test
  void aPageReadFromTheFileWhileAWriteLandsIsNotKept() throws Exception {
    Path path = tmp.resolve("store");
    Files.write(path, new byte[2 * PAGE]);
    CountDownLatch readStarted = new CountDownLatch(1);
    CountDownLatch writeDone = new CountDownLatch(1);
    FileChannelVol file = new FileChannelVol(path.toFile(), false, 0L, 12, 0L);
    // the file's volume: its first read of a page stops until a write has come and gone
    Volume slowFirstRead =
        new ForwardingVolume(file) {
          private boolean first = true;

          @Override
          public void getData(long offset, byte[] bytes, int bytesPos, int size) {
            super.getData(offset, bytes, bytesPos, size);
            if (first) {
              first = false;
              readStarted.countDown();
              await(writeDone);
            }
          }
        };
    PageCachedVolume volume = new PageCachedVolume(slowFirstRead, 8);
    CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> volume.getLong(16));
    await(readStarted);
    volume.putLong(16, 42L);
    writeDone.countDown();
    // the reader got the bytes from before the write (it read first); what it read is not kept
    assertEquals(0L, reader.get(10, TimeUnit.SECONDS));
    assertEquals(42L, volume.getLong(16));
    volume.close();
  }

  private static byte[] laid(byte[] model, long offset, byte[] bytes) {
    byte[] result = Arrays.copyOf(model, (int) Math.max(model.length, offset + bytes.length));
    System.arraycopy(bytes, 0, result, (int) offset, bytes.length);
    return result;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("waited 10 s for the other thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
