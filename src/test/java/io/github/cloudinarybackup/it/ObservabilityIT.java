package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FaultKind;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the management server on, a scheduled daemon serves /observe/metrics (what it did, summed
 * over runs) and /observe/health (a failing Cloudinary connection, a stuck run).
 */
class ObservabilityIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path tmp;

  @Test
  void metricsCountWhatEachScheduledRunDid() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(71, 40, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      int port = freePort();
      Path dir = tmp.resolve("metrics");
      CompletableFuture<Result> daemon =
          CompletableFuture.supplyAsync(
              () ->
                  backup(
                      emulator,
                      dir,
                      "backup.schedule",
                      "0/2 * * * * ?",
                      "camel.main.duration-max-seconds",
                      "14",
                      "camel.management.enabled",
                      "true",
                      "camel.management.port",
                      Integer.toString(port)));

      Map<String, Double> first =
          awaitMetrics(
              port,
              m ->
                  m.containsKey("cloudinary_backup_last_run_exit_code")
                      && !m.get("cloudinary_backup_last_run_exit_code").isNaN());
      var manifest = manifest(dir);
      long originals = account.assets().stream().filter(EmulatedAsset::hasOriginal).count();
      long bytes =
          manifest.values().stream()
              .filter(e -> "ok".equals(e.get("status")))
              .mapToLong(e -> ((Number) e.get("bytes")).longValue())
              .sum();
      assertEquals(0.0, first.get("cloudinary_backup_last_run_exit_code"));
      assertEquals((double) account.size(), first.get("cloudinary_backup_assets_listed_total"));
      assertEquals((double) originals, first.get("cloudinary_backup_assets_downloaded_total"));
      assertEquals((double) bytes, first.get("cloudinary_backup_downloaded_bytes_total"));
      assertEquals(0.0, first.get("cloudinary_backup_assets_failed_total"));
      assertEquals(0.0, first.get("cloudinary_backup_rate_limit_refusals_total"));
      double calls = first.get("cloudinary_backup_admin_calls_total");
      assertTrue(calls >= 4, "the account check and a listing per resource type: " + calls);
      int limit = emulator.rateLimiter().limit();
      assertEquals((double) limit, first.get("cloudinary_backup_admin_calls_limit"));
      // the budget left after the latest answer; a call may be in flight while the scrape is read
      double remaining = first.get("cloudinary_backup_admin_calls_remaining");
      assertTrue(
          Math.abs(limit - calls - remaining) <= 2,
          "remaining " + remaining + " after " + calls + " calls");
      assertTrue(first.get("cloudinary_backup_last_success_timestamp_seconds") > 1.7e9);
      assertTrue(first.containsKey("camel_exchanges_total"), "Camel's own metrics are served too");

      // the next run finds everything unchanged: counters add up over runs and never go down
      Map<String, Double> second =
          awaitMetrics(
              port,
              m ->
                  m.get("cloudinary_backup_assets_listed_total") >= 2.0 * account.size()
                      && m.get("cloudinary_backup_last_run_end_timestamp_seconds")
                          > first.get("cloudinary_backup_last_run_end_timestamp_seconds"));
      assertEquals(
          (double) originals,
          second.get("cloudinary_backup_assets_downloaded_total"),
          "nothing downloaded again");
      assertTrue(
          second.get("cloudinary_backup_assets_unchanged_total") >= originals, second.toString());
      assertEquals((double) bytes, second.get("cloudinary_backup_downloaded_bytes_total"));

      Result run = daemon.get();
      assertEquals(0, run.exitCode(), run.err());
    }
  }

  @Test
  void healthReportsAStuckRunAndAFailingCloudinaryConnection() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(72, 12, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      // every original takes 3 s: with nothing done for 0.8 s, the run counts as stuck
      emulator.faults().deliveryLatency(Duration.ofSeconds(3));
      int port = freePort();
      Path dir = tmp.resolve("health");
      CompletableFuture<Result> daemon =
          CompletableFuture.supplyAsync(
              () ->
                  backup(
                      emulator,
                      dir,
                      "backup.schedule",
                      "0/1 * * * * ?",
                      "camel.main.duration-max-seconds",
                      "16",
                      "backup.health.stuck-after-ms",
                      "800",
                      "backup.retry.attempts",
                      "0",
                      "backup.concurrency",
                      "16",
                      "camel.management.enabled",
                      "true",
                      "camel.management.port",
                      Integer.toString(port)));

      JsonNode stuck =
          awaitHealth(
              port, "live", h -> "DOWN".equals(check(h, "backup-run").path("status").asText()));
      assertTrue(
          check(stuck, "backup-run")
              .path("message")
              .asText()
              .contains("has made no progress since"),
          stuck.toString());
      assertTrue(
          check(stuck, "cloudinary").isMissingNode(),
          "the Cloudinary check is for readiness only: " + stuck);

      // the downloads complete, the run ends: alive again
      emulator.faults().deliveryLatency(Duration.ZERO);
      awaitHealth(port, "live", h -> "UP".equals(h.path("status").asText()));

      // Cloudinary answers 500 to every Admin call: the next run fails, and readiness says why
      emulator.faults().adminFaultRate(1.0, FaultKind.STATUS_500);
      JsonNode failing =
          awaitHealth(
              port, "ready", h -> "DOWN".equals(check(h, "cloudinary").path("status").asText()));
      String message = check(failing, "cloudinary").path("message").asText();
      assertTrue(message.startsWith("the Cloudinary Admin API is failing: "), failing.toString());
      assertTrue(!message.contains(account.apiSecret()), "no secret in the health report");

      emulator.faults().adminFaultRate(0);
      JsonNode mended =
          awaitHealth(
              port, "ready", h -> "UP".equals(check(h, "cloudinary").path("status").asText()));
      assertEquals(
          "the Cloudinary Admin API answers", check(mended, "cloudinary").path("message").asText());

      Result run = daemon.get();
      assertEquals(0, run.exitCode(), "the last run succeeded: " + run.err());
      BackupIT.assertCompleteBackup(account, dir);
    }
  }

  /**
   * Polls /observe/health/{kind} (full exposure) until {@code done} holds (JUnit's timeout guards a
   * hang).
   */
  private static JsonNode awaitHealth(int port, String kind, Predicate<JsonNode> done)
      throws Exception {
    JsonNode last = null;
    for (; ; pause("last: " + last)) {
      String body = get(port, "/observe/health/" + kind + "?exposureLevel=full");
      if (body != null) {
        last = JSON.readTree(body);
        if (done.test(last)) {
          return last;
        }
      }
    }
  }

  /** Sleeps between polls; when JUnit's timeout interrupts, fails with what was seen last. */
  private static void pause(String seen) {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      throw new AssertionError("it never got there; " + seen, e);
    }
  }

  private static JsonNode check(JsonNode health, String name) {
    for (JsonNode check : health.path("checks")) {
      if (name.equals(check.path("name").asText())) {
        return check;
      }
    }
    return JSON.missingNode();
  }

  /** Polls /observe/metrics until {@code done} holds (JUnit's timeout guards a hang). */
  private static Map<String, Double> awaitMetrics(int port, Predicate<Map<String, Double>> done)
      throws Exception {
    Map<String, Double> last = Map.of();
    for (; ; pause("last: " + last)) {
      String body = get(port, "/observe/metrics");
      if (body != null) {
        last = parse(body);
        if (last.containsKey("cloudinary_backup_assets_listed_total") && done.test(last)) {
          return last;
        }
      }
    }
  }

  /** Prometheus text: {@code name value} lines, with labels summed away. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> values = new HashMap<>();
    text.lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(
            line -> {
              int space = line.lastIndexOf(' ');
              String name = line.substring(0, space);
              int brace = name.indexOf('{');
              values.merge(
                  brace < 0 ? name : name.substring(0, brace),
                  Double.parseDouble(line.substring(space + 1)),
                  Double::sum);
            });
    return values;
  }

  /**
   * The body of a GET (any status: health answers 503 when DOWN), or null while the server is not
   * up.
   */
  private static String get(int port, String path) throws InterruptedException {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
