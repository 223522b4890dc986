package io.github.cloudinarybackup.download;

import io.github.cloudinarybackup.InstancePool;
import io.github.cloudinarybackup.files.BackupFolder;
import io.github.cloudinarybackup.files.LocalWriteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the HTTP answer for an original into its file: refuses an error status (with a short
 * excerpt of the body, never the whole of it), checks length and MD5 while the bytes stream to a
 * temporary file created exclusively in the backup folder, and renames it into place only when it
 * is complete and verified. Whatever goes wrong, no partial file is left and the connection is cut,
 * not drained.
 */
public final class OriginalFiles {

  private static final Logger LOG = LoggerFactory.getLogger(OriginalFiles.class);

  private static final Pattern PLAIN_MD5 = Pattern.compile("\"?([0-9a-fA-F]{32})\"?");
  private static final int ERROR_EXCERPT = 2048;

  /**
   * 32 KiB buffers, lent for the copy of one original: a buffer per download thread was 2 MiB of
   * heap for the 64 threads of an {@code auto} run (docs/benchmarks.md, session 13), and behind
   * {@code FileChannel.write} of a heap buffer the JDK caches a direct buffer per thread as well.
   */
  private static final InstancePool<CopyBuffer> BUFFERS = new InstancePool<>(CopyBuffer::new);

  /**
   * The bytes as read from the stream, and the direct buffer they are written from: what {@code
   * FileChannel.write} does with a heap buffer, without the JDK keeping a direct one per thread.
   */
  private record CopyBuffer(byte[] read, ByteBuffer write) {
    CopyBuffer() {
      this(new byte[32 * 1024], ByteBuffer.allocateDirect(32 * 1024));
    }
  }

  private final BackupFolder folder;

  public OriginalFiles(BackupFolder folder) {
    this.folder = folder;
  }

  /** The verified file that is now in place. */
  public record Written(long bytes, String md5) {}

  /**
   * Writes the response in {@code exchange} to {@code path} (relative to the backup folder).
   *
   * @param download the attempt, told about the body so it can cut it off
   * @param listedBytes the size Cloudinary lists, or 0
   * @param etag the MD5 Cloudinary gave, or {@code null} (the response's ETag is then used if it is
   *     one)
   */
  public Written write(
      Exchange exchange, Download download, String path, long listedBytes, String etag)
      throws IOException, HttpOperationFailedException {
    Message in = exchange.getIn();
    InputStream body = in.getBody(InputStream.class);
    if (body == null) {
      body = InputStream.nullInputStream();
    }
    download.reading(body);
    boolean written = false;
    Path temporary = null; // a partial file never stays: removed here whatever cut the write short
    try {
      int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
      if (status < 200 || status > 299) {
        throw failedStatus(in, status, body);
      }
      long declared = in.getHeader("Content-Length", -1L, Long.class);
      if (declared >= 0 && listedBytes > 0 && declared != listedBytes) {
        throw new IOException(
            "size mismatch: the server announces "
                + declared
                + " bytes, Cloudinary lists "
                + listedBytes);
      }
      String md5 = etag != null ? etag : plainMd5(in.getHeader("ETag", String.class));
      VerifyingInputStream verifier = new VerifyingInputStream(body, declared, listedBytes, md5);
      Path target = folder.prepare(path);
      temporary = BackupFolder.temporaryFor(target);
      try (FileChannel out = folder.createTemporary(temporary)) {
        copy(verifier, out, path);
      }
      if (!verifier.verified()) {
        throw new IOException("the download was not read to its end");
      }
      folder.moveIntoPlace(temporary, target);
      written = true;
      return new Written(verifier.count(), verifier.md5());
    } finally {
      if (!written) {
        Download.abortQuietly(body);
        discardQuietly(temporary);
      }
    }
  }

  private void discardQuietly(Path temporary) {
    if (temporary == null) {
      return;
    }
    try {
      folder.discardTemporary(temporary);
    } catch (IOException e) {
      LOG.warn("cannot remove the partial download {}: {}", temporary, e.getMessage());
    }
  }

  private static void copy(VerifyingInputStream from, FileChannel to, String path)
      throws IOException {
    CopyBuffer buffer = BUFFERS.take();
    byte[] read = buffer.read();
    ByteBuffer write = buffer.write();
    try {
      for (int n = from.read(read, 0, read.length); n >= 0; n = from.read(read, 0, read.length)) {
        write.clear();
        write.put(read, 0, n).flip();
        try {
          while (write.hasRemaining()) {
            to.write(write);
          }
        } catch (IOException e) {
          throw new LocalWriteException("cannot write " + path, e);
        }
      }
    } finally {
      BUFFERS.giveBack(buffer);
    }
  }

  /**
   * An error answer, with the start of its body as the reason (a server may send one without end).
   */
  private static HttpOperationFailedException failedStatus(
      Message in, int status, InputStream body) {
    byte[] excerpt;
    try {
      excerpt = body.readNBytes(ERROR_EXCERPT);
    } catch (IOException e) {
      excerpt = new byte[0];
    }
    String url = in.getHeader(Exchange.HTTP_URI, "", String.class);
    String text = in.getHeader(Exchange.HTTP_RESPONSE_TEXT, String.class);
    String cldError = in.getHeader("X-Cld-Error", String.class);
    return new HttpOperationFailedException(
        url,
        status,
        cldError != null ? cldError : text,
        null,
        cldError == null ? Map.of() : Map.of("X-Cld-Error", cldError),
        new String(excerpt, StandardCharsets.UTF_8));
  }

  private static String plainMd5(String etag) {
    var m = etag == null ? null : PLAIN_MD5.matcher(etag.trim());
    return m != null && m.matches() ? m.group(1) : null;
  }
}
