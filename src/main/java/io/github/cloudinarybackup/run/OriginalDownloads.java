package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.download.VerifyingInputStream;
import java.io.InputStream;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/**
 * Prepares the download of an original for the HTTP endpoint and checks what comes back: {@code
 * upload} originals come from {@code secure_url}; private and authenticated ones through the SDK's
 * signed {@code /download} URL, signed just before use so it never expires in a queue.
 */
public final class OriginalDownloads {

  private static final Pattern PLAIN_MD5 = Pattern.compile("\"?([0-9a-fA-F]{32})\"?");

  private final BackupSession session;

  public OriginalDownloads(BackupSession session) {
    this.session = session;
  }

  /**
   * Sets the URL and method of the request; the body is emptied so nothing is posted, and headers a
   * failed attempt left (Content-Length, ETag, …) are dropped so they are neither sent nor trusted.
   */
  public void request(Exchange exchange) throws Exception {
    CloudinaryResource resource = exchange.getProperty(BackupConstants.RECORD, AssetRecord.class).asResource();
    String url =
        "upload".equals(resource.type()) && resource.secureUrl() != null
            ? resource.secureUrl()
            : session.admin().privateDownloadUrl(resource);
    Message in = exchange.getIn();
    in.removeHeaders("*", Exchange.FILE_NAME);
    in.setHeader(Exchange.HTTP_URI, url);
    // the enum itself: a String goes through Camel's enum type converter on every request
    in.setHeader(Exchange.HTTP_METHOD, HttpMethods.GET);
    in.setBody(null);
  }

  /** Wraps the response so its length and MD5 are checked while the file endpoint writes it. */
  public void verify(Exchange exchange) throws Exception {
    Message in = exchange.getIn();
    AssetRecord record = exchange.getProperty(BackupConstants.RECORD, AssetRecord.class);
    Long declared = in.getHeader("Content-Length", Long.class);
    String md5 = record.asResource().etag();
    if (md5 == null) {
      String etag = in.getHeader("ETag", String.class);
      var m = etag == null ? null : PLAIN_MD5.matcher(etag.trim());
      md5 = m != null && m.matches() ? m.group(1) : null;
    }
    VerifyingInputStream verifier =
        new VerifyingInputStream(
            in.getMandatoryBody(InputStream.class), declared == null ? -1 : declared, record.bytes(), md5);
    in.setBody(verifier);
    exchange.setProperty(BackupConstants.VERIFIER, verifier);
  }
}
