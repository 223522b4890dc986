package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.BackupConstants;
import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.cloudinary.CloudinaryResource;
import io.github.cloudinarybackup.download.Download;
import io.github.cloudinarybackup.download.DownloadsInFlight;
import io.github.cloudinarybackup.download.OriginalFiles;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/**
 * One attempt at downloading an original, step by step for the route: {@link #start} it (with its
 * deadline), build its {@link #request}, {@link #write} the answer into the backup, {@link #end}
 * it. {@code upload} originals come from {@code secure_url}; private and authenticated ones through
 * the SDK's signed {@code /download} URL, signed just before use so it never expires in a queue.
 */
public final class OriginalDownloads {

  private final BackupSession session;
  private final DownloadsInFlight downloads;
  private final OriginalFiles files;

  public OriginalDownloads(
      BackupSession session, DownloadsInFlight downloads, OriginalFiles files) {
    this.session = session;
    this.downloads = downloads;
    this.files = files;
  }

  /** Registers the attempt, unless the run is stopping: then no new download starts. */
  public void start(Exchange exchange) {
    session.requireNotStopping();
    AssetRecord record = exchange.getProperty(BackupConstants.RECORD, AssetRecord.class);
    Download download =
        downloads.start(
            record.resourceType() + "/" + record.type() + "/" + record.publicId(), record.bytes());
    exchange.setProperty(BackupConstants.DOWNLOAD, download);
  }

  /**
   * Sets the URL and method of the request; the body is emptied so nothing is posted, and the
   * headers of an earlier attempt's answer (Content-Length, ETag, …) are dropped so they are
   * neither sent nor trusted. Camel's own headers stay.
   */
  public void request(Exchange exchange) throws Exception {
    CloudinaryResource resource =
        exchange.getProperty(BackupConstants.RECORD, AssetRecord.class).asResource();
    String url =
        "upload".equals(resource.type()) && resource.secureUrl() != null
            ? resource.secureUrl()
            : session.admin().privateDownloadUrl(resource);
    Message in = exchange.getIn();
    in.removeHeaders("*", "Camel*");
    in.setHeader(Exchange.HTTP_URI, url);
    // the enum itself: a String goes through Camel's enum type converter on every request
    in.setHeader(Exchange.HTTP_METHOD, HttpMethods.GET);
    in.setBody(null);
  }

  /**
   * Streams the answer into the asset's file in the backup, verified; see {@link OriginalFiles}.
   */
  public void write(Exchange exchange) throws Exception {
    AssetRecord record = exchange.getProperty(BackupConstants.RECORD, AssetRecord.class);
    Download download = exchange.getProperty(BackupConstants.DOWNLOAD, Download.class);
    exchange.setProperty(
        BackupConstants.WRITTEN,
        files.write(exchange, download, record.path(), record.bytes(), record.asResource().etag()));
  }

  /** The attempt is over, done or failed: its deadline is off and a partial file is removed. */
  public void end(Exchange exchange) {
    Download download = exchange.getProperty(BackupConstants.DOWNLOAD, Download.class);
    if (download != null) {
      downloads.end(download);
    }
  }
}
