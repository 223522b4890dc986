package io.github.cloudinarybackup.download;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Measures a download while it streams to disk: counts the bytes and computes their MD5, and at the
 * end of the stream fails with an {@link IOException} if the length or the MD5 is not what was
 * announced. It stops reading as soon as the body runs past the size expected (the listed size,
 * else the Content-Length): a server that never stops sending costs one buffer, not a disk. The
 * failure happens before the file writer renames its temporary file, so a short, long or corrupt
 * download never takes the place of a file in the backup.
 */
public final class VerifyingInputStream extends FilterInputStream {

  private final MessageDigest md5;
  private final long declaredLength;
  private final long listedBytes;
  private final String expectedMd5;

  /** The most bytes the body may have. */
  private final long limit;

  private long count;
  private String actualMd5;

  /**
   * @param declaredLength the response's Content-Length, or -1
   * @param listedBytes the size the Admin API lists for the original, or 0 when unknown
   * @param expectedMd5 the MD5 Cloudinary gave (etag), or {@code null}
   */
  public VerifyingInputStream(
      InputStream in, long declaredLength, long listedBytes, String expectedMd5) {
    super(in);
    this.declaredLength = declaredLength;
    this.listedBytes = listedBytes;
    this.expectedMd5 = expectedMd5 == null ? null : expectedMd5.toLowerCase(Locale.ROOT);
    this.limit =
        listedBytes > 0 ? listedBytes : declaredLength >= 0 ? declaredLength : Long.MAX_VALUE;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      finish();
    } else {
      md5.update((byte) b);
      count++;
      checkLimit();
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n < 0) {
      finish();
    } else {
      count += n;
      checkLimit();
      md5.update(buf, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skipping would leave the download unverified");
  }

  private void checkLimit() throws IOException {
    if (count > limit) {
      throw new IOException(
          "the server sent more than the " + limit + " bytes expected; stopped reading");
    }
  }

  private void finish() throws IOException {
    if (actualMd5 != null) {
      return;
    }
    if (declaredLength >= 0 && count != declaredLength) {
      throw new IOException(
          "truncated download: received " + count + " of " + declaredLength + " bytes");
    }
    if (listedBytes > 0 && count != listedBytes) {
      throw new IOException(
          "size mismatch: received " + count + " bytes, Cloudinary lists " + listedBytes);
    }
    String digest = HexFormat.of().formatHex(md5.digest());
    if (expectedMd5 != null && !expectedMd5.equals(digest)) {
      throw new IOException("MD5 mismatch: received " + digest + ", Cloudinary has " + expectedMd5);
    }
    actualMd5 = digest;
  }

  /** Whether the whole stream was read and matched every check. */
  public boolean verified() {
    return actualMd5 != null;
  }

  public long count() {
    return count;
  }

  /** The MD5 of what was read, once {@link #verified()}. */
  public String md5() {
    return actualMd5;
  }
}
