package io.github.cloudinarybackup.emulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the originals of an account's {@code upload} assets as static files laid out as their
 * delivery URLs, so that a static file server (nginx with {@code root DIR}) serves each one at the
 * {@code url}/{@code secure_url} the Admin API names once the emulator's delivery base URL points
 * at that server.
 *
 * <p>The file of an asset is found as such a server finds it: the URL's path after the delivery
 * base, split at {@code /}, each segment percent-decoded to UTF-8, under {@code DIR}. For a base
 * without a path that is {@code DIR/<cloud>/<rt>/upload/v<version>/<public_id>[.<format>]}. Private
 * and authenticated originals are not written (they are only served signed, through the emulator),
 * nor remote assets (which have no original).
 */
public final class OriginalsExport {

  /** What was written. */
  public record Result(int files, long bytes) {}

  private static final Set<String> FORBIDDEN_SEGMENTS = Set.of("", ".", "..");

  private OriginalsExport() {}

  /**
   * @param deliveryUrls the delivery URL of an asset, as the Admin API names it
   * @param baseUrl the delivery base those URLs start with
   * @param dir the root of the static files; created if missing, existing files of the same name
   *     replaced
   * @param urlList if not null, receives the delivery URL of every file written, one a line, in
   *     created_at order
   * @throws IllegalStateException when a URL would map outside {@code dir}, onto another asset's
   *     file, or when the JVM cannot write UTF-8 file names (its locale is not a UTF-8 one)
   */
  static Result write(
      EmulatorAccount account,
      Function<EmulatedAsset, String> deliveryUrls,
      String baseUrl,
      Path dir,
      Path urlList) {
    List<EmulatedAsset> uploads =
        new ArrayList<>(
            account.assets().stream()
                .filter(a -> a.type().equals("upload") && a.hasOriginal())
                .toList());
    uploads.sort(Comparator.comparing(AssetOrder.CREATED::keyOf));
    requireUtf8FileNames(uploads);
    Map<Path, String> written = new HashMap<>();
    long bytes = 0;
    try {
      Files.createDirectories(dir);
      BufferedWriter urls =
          urlList == null ? null : Files.newBufferedWriter(urlList, StandardCharsets.UTF_8);
      try {
        for (EmulatedAsset asset : uploads) {
          String url = deliveryUrls.apply(asset);
          Path file = fileOf(dir, baseUrl, url);
          String other = written.putIfAbsent(file, url);
          if (other != null) {
            throw new IllegalStateException(
                "two delivery URLs map to the same file " + file + ": " + other + " and " + url);
          }
          Files.createDirectories(file.getParent());
          byte[] content = asset.content();
          Files.write(file, content);
          bytes += content.length;
          if (urls != null) {
            urls.write(url);
            urls.write('\n');
          }
        }
      } finally {
        if (urls != null) {
          urls.close();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export originals to " + dir, e);
    }
    return new Result(written.size(), bytes);
  }

  /** The file a static server rooted at {@code dir} serves for {@code url}. */
  static Path fileOf(Path dir, String baseUrl, String url) {
    if (!url.startsWith(baseUrl + "/")) {
      throw new IllegalStateException(
          "delivery URL " + url + " does not start with " + baseUrl + "/");
    }
    Path file = dir;
    for (String raw : url.substring(baseUrl.length() + 1).split("/", -1)) {
      String segment = UrlCodec.decodePathSegment(raw);
      if (FORBIDDEN_SEGMENTS.contains(segment) || segment.indexOf('\0') >= 0) {
        throw new IllegalStateException(
            "delivery URL "
                + url
                + " has a path segment no static file can have: '"
                + segment
                + "'");
      }
      try {
        file = file.resolve(segment);
      } catch (InvalidPathException e) {
        throw new IllegalStateException(
            "cannot name a file '" + segment + "' (from " + url + "): " + e.getMessage(), e);
      }
    }
    return file;
  }

  /**
   * Java names files in {@code sun.jnu.encoding}, taken from the locale: under {@code LANG=C}
   * non-ASCII public_ids would be refused or written as other bytes than the URL's, which the
   * server would then not find.
   */
  private static void requireUtf8FileNames(List<EmulatedAsset> uploads) {
    String encoding = System.getProperty("sun.jnu.encoding");
    if (encoding == null
        || !Charset.isSupported(encoding)
        || Charset.forName(encoding).equals(StandardCharsets.UTF_8)) {
      return;
    }
    boolean nonAscii = uploads.stream().anyMatch(a -> a.fileName().chars().anyMatch(c -> c > 0x7F));
    if (nonAscii) {
      throw new IllegalStateException(
          "file names are encoded as "
              + encoding
              + " in this JVM, so public_ids"
              + " with non-ASCII characters cannot be written as their URLs name them; run it with a UTF-8"
              + " locale (e.g. LANG=C.UTF-8)");
    }
  }
}
