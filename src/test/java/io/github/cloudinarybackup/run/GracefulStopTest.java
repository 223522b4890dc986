package io.github.cloudinarybackup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.download.AbortableConnections;
import io.github.cloudinarybackup.download.Download;
import io.github.cloudinarybackup.download.DownloadsInFlight;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a signal does at each stage, with a real catalog and real downloads in flight (the halt
 * recorded).
 */
class GracefulStopTest {

  @TempDir Path tmp;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private volatile int halted = -1;
  private final GracefulStop stop =
      new GracefulStop(new PrintStream(err, true, StandardCharsets.UTF_8), code -> halted = code);

  private BackupSession session(Map<String, String> settings) {
    return new BackupSession(
        BackupConfiguration.load(key -> Optional.ofNullable(settings.get(key)), Map.of()),
        null,
        new RunOutcome());
  }

  @Test
  void beforeAnythingStartedTheProcessEndsAtOnceWithTheSignalsCode() {
    stop.received("SIGTERM", 143);
    assertEquals(143, halted);
  }

  @Test
  void aDaemonBetweenTwoRunsEndsCleanly() {
    stop.attach(session(Map.of("backup.schedule", "0 0 2 * * ?")), null);
    stop.received("SIGTERM", 143);
    assertEquals(0, halted);
  }

  @Test
  void downloadsThatDoNotFinishInTimeAreCutOffThenTheCatalogIsSaved() throws Exception {
    BackupSession session =
        session(Map.of("backup.shutdown-timeout", "0", "backup.dir", tmp.toString()));
    Catalog catalog = Catalog.open(tmp.resolve("catalog.db"));
    session.attach(catalog);
    session.start(catalog.startRun(Instant.now()));
    DownloadsInFlight downloads =
        new DownloadsInFlight(new AbortableConnections(4, 1000, 60_000), 60_000, 1);
    stop.attach(session, downloads);

    // a download whose server sends nothing: it reads until it is cut off
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket silent = server.accept()) {
      InputStream body = client.getInputStream();
      CountDownLatch reading = new CountDownLatch(1);
      Thread downloader =
          new Thread(
              () -> {
                Download download = downloads.start("image/upload/stuck", 10);
                try {
                  download.reading(body);
                  reading.countDown();
                  body.read();
                } catch (Exception cutOff) {
                  // what a cut-off download sees
                } finally {
                  downloads.end(download);
                }
              });
      downloader.start();
      reading.await();

      stop.received("SIGINT", 130);
      downloader.join();
    }
    assertEquals(130, halted);
    assertTrue(catalog.isClosed(), "the catalog was saved and closed");
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        said.contains("interrupted by SIGINT: 0 of the 1 downloads under way finished, 1 cut off"),
        said);
    assertTrue(session.stopping() != null, "nothing new starts");
  }
}
