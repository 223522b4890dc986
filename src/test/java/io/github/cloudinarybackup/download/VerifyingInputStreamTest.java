package io.github.cloudinarybackup.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {

  private static final byte[] DATA = "hello backup".getBytes(StandardCharsets.UTF_8);
  private static final String MD5 = "0a2b0ed6c0b6ea8a60e4b1a1d2a7a2b7";

  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[5];
    while (in.read(buf, 0, buf.length) >= 0) {
      // read to the end
    }
  }

  @Test
  void countsAndHashes() throws IOException {
    VerifyingInputStream in =
        new VerifyingInputStream(new ByteArrayInputStream(DATA), DATA.length, DATA.length, null);
    assertFalse(in.verified());
    drain(in);
    assertTrue(in.verified());
    assertEquals(DATA.length, in.count());
    assertEquals(md5(DATA), in.md5());
  }

  @Test
  void shortBodiesFailAtTheEnd() {
    VerifyingInputStream in =
        new VerifyingInputStream(new ByteArrayInputStream(DATA), DATA.length + 10, -1, null);
    IOException e = assertThrows(IOException.class, () -> drain(in));
    assertTrue(e.getMessage().startsWith("truncated download"), e.getMessage());
    assertFalse(in.verified());
  }

  @Test
  void sizeAndMd5MustMatchWhatCloudinarySays() {
    assertThrows(
        IOException.class,
        () -> drain(new VerifyingInputStream(new ByteArrayInputStream(DATA), -1, 99, null)));
    assertThrows(
        IOException.class,
        () -> drain(new VerifyingInputStream(new ByteArrayInputStream(DATA), -1, 0, MD5)));
  }

  @Test
  void aMatchingEtagPasses() throws IOException {
    VerifyingInputStream in =
        new VerifyingInputStream(new ByteArrayInputStream(DATA), -1, 0, md5(DATA).toUpperCase());
    drain(in);
    assertTrue(in.verified());
  }

  @Test
  void aBodyThatRunsPastTheExpectedSizeStopsBeingRead() {
    java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served.incrementAndGet();
            return 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            served.addAndGet(len);
            return len;
          }
        };
    VerifyingInputStream in = new VerifyingInputStream(endless, -1, 2000, null);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              byte[] buf = new byte[512];
              while (in.read(buf, 0, buf.length) >= 0) {
                // read on
              }
            });
    assertTrue(e.getMessage().contains("more than the 2000 bytes"), e.getMessage());
    assertTrue(served.get() <= 2000 + 512, "stopped within a buffer of the limit: " + served.get());
    assertFalse(in.verified());
  }

  private static String md5(byte[] data) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
