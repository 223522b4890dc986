package io.github.cloudinarybackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of an Upload API request as Cloudinary reads them: {@code multipart/form-data} (what
 * every SDK sends: text parts, and a {@code file} part with a {@code filename} that carries the
 * bytes) or {@code application/x-www-form-urlencoded} (where {@code file} can only be a URL or a
 * data URI). A repeated {@code k[]} part is joined with commas under {@code k}, as the signature
 * joins it.
 *
 * @param fields every text field, raw UTF-8 as received (the signature is checked on these exact
 *     strings)
 * @param file the bytes of the file part, or null when the request sent none
 * @param fileName the file part's filename, or null
 */
record UploadForm(Map<String, String> fields, byte[] file, String fileName) {

  static UploadForm parse(String contentType, byte[] body) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("multipart/form-data")) {
      return multipart(boundary(contentType), body);
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      Map<String, String> fields = new LinkedHashMap<>();
      UrlCodec.parseForm(new String(body, StandardCharsets.UTF_8))
          .forEach((k, v) -> add(fields, k, String.join(",", v)));
      return new UploadForm(fields, null, null);
    }
    throw ApiError.badRequest(
        "Unsupported Content-Type " + contentType + " (send multipart/form-data)");
  }

  private static String boundary(String contentType) {
    for (String part : contentType.split(";")) {
      String p = part.trim();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String b = p.substring(9);
        return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1
            ? b.substring(1, b.length() - 1)
            : b;
      }
    }
    throw ApiError.badRequest("multipart/form-data without a boundary");
  }

  private static UploadForm multipart(String boundary, byte[] body) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Map<String, String> fields = new LinkedHashMap<>();
    byte[] file = null;
    String fileName = null;
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw ApiError.badRequest("Malformed multipart body: no boundary");
    }
    while (true) {
      int after = at + delimiter.length;
      if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
        break; // the closing delimiter
      }
      int headersStart = skipLineEnd(body, after);
      int headersEnd =
          indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
      if (headersEnd < 0) {
        throw ApiError.badRequest("Malformed multipart body: a part without headers");
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      int contentStart = headersEnd + 4;
      int next = indexOf(body, delimiter, contentStart);
      if (next < 0) {
        throw ApiError.badRequest("Malformed multipart body: the last part is not closed");
      }
      int contentEnd =
          next >= 2 && body[next - 2] == '\r' && body[next - 1] == '\n' ? next - 2 : next;
      String name = dispositionParameter(headers, "name");
      String partFileName = dispositionParameter(headers, "filename");
      if (name == null) {
        throw ApiError.badRequest("Malformed multipart body: a part without a name");
      }
      if (name.equals("file") && partFileName != null) {
        file = Arrays.copyOfRange(body, contentStart, contentEnd);
        fileName = partFileName;
      } else {
        add(
            fields,
            name,
            new String(body, contentStart, contentEnd - contentStart, StandardCharsets.UTF_8));
      }
      at = next;
    }
    return new UploadForm(fields, file, fileName);
  }

  private static void add(Map<String, String> fields, String name, String value) {
    if (name.endsWith("[]")) {
      fields.merge(name.substring(0, name.length() - 2), value, (a, b) -> a + "," + b);
    } else {
      fields.put(name, value);
    }
  }

  /**
   * {@code name="x"} in the Content-Disposition line, quotes removed (HttpClient sends raw UTF-8
   * there).
   */
  private static String dispositionParameter(String headers, String parameter) {
    for (String line : headers.split("\r\n")) {
      if (!line.regionMatches(true, 0, "Content-Disposition:", 0, 20)) {
        continue;
      }
      for (String piece : List.of(line.substring(20).split(";"))) {
        String p = piece.trim();
        if (p.startsWith(parameter + "=")) {
          String v = p.substring(parameter.length() + 1);
          return v.startsWith("\"") && v.endsWith("\"") && v.length() > 1
              ? v.substring(1, v.length() - 1)
              : v;
        }
      }
    }
    return null;
  }

  private static int skipLineEnd(byte[] body, int at) {
    if (at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n') {
      return at + 2;
    }
    throw ApiError.badRequest("Malformed multipart body: no line end after a boundary");
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
