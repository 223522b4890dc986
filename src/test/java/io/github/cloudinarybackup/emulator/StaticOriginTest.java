package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.ApiResponse;
import com.cloudinary.api.exceptions.RateLimited;
import com.cloudinary.utils.ObjectUtils;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A static origin for upload originals: delivery URLs pointing at another server, the originals
 * exported as files laid out as those URLs, and the request log that tells what the Admin API
 * answered and when.
 */
class StaticOriginTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Beyond the generator's names: characters that need care in a URL path or a file name. */
  private static final List<String> AWKWARD_IDS =
      List.of(
          "folder/my file é+x",
          "Ünïcödé/東京 タワー/🎉",
          "100% real",
          "a+b=c",
          "semi;colon,comma(1)",
          "~tilde's",
          "q?uery#frag",
          "back\\slash",
          "tab\there",
          "percent%2Fslash");

  @Test
  void deliveryBaseMovesUrlsInListingsDetailsAndSearchButNotTheApiOrSignedDownloads()
      throws Exception {
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(EmulatorAccount.demo())) {
      assertEquals(emulator.baseUri(), emulator.deliveryBaseUrl());
      String cloudinaryUrl = emulator.cloudinaryUrl();
      emulator.deliveryBaseUrl(URI.create("http://127.0.0.1:8081/"));
      assertEquals(URI.create("http://127.0.0.1:8081"), emulator.deliveryBaseUrl());
      assertEquals(cloudinaryUrl, emulator.cloudinaryUrl());
      Cloudinary cloudinary = new Cloudinary(cloudinaryUrl);

      ApiResponse page =
          cloudinary.api().resources(ObjectUtils.asMap("max_results", 500, "type", "upload"));
      List<Map<?, ?>> items = resources(page);
      assertFalse(items.isEmpty());
      for (Map<?, ?> item : items) {
        EmulatedAsset asset =
            emulator.account().byAssetId((String) item.get("asset_id")).orElseThrow();
        String expected =
            "http://127.0.0.1:8081/demo-cloud/"
                + asset.resourceType()
                + "/upload/v"
                + asset.version()
                + "/"
                + UrlCodec.encodePath(asset.fileName());
        assertEquals(expected, item.get("url"));
        assertEquals(expected, item.get("secure_url"));
        assertEquals(expected, emulator.deliveryUrl(asset));
      }
      EmulatedAsset some =
          emulator.account().byAssetId((String) items.get(0).get("asset_id")).orElseThrow();
      ApiResponse details =
          cloudinary
              .api()
              .resource(
                  some.publicId(),
                  ObjectUtils.asMap("resource_type", some.resourceType(), "type", "upload"));
      assertEquals(emulator.deliveryUrl(some), details.get("secure_url"));
      ApiResponse search = cloudinary.search().expression("").maxResults(10).execute();
      for (Map<?, ?> item : resources(search)) {
        assertTrue(
            ((String) item.get("secure_url")).startsWith("http://127.0.0.1:8081/demo-cloud/"),
            item::toString);
      }

      // Private originals still come through the emulator's signed /download endpoint.
      EmulatedAsset secret =
          emulator.account().assets().stream()
              .filter(a -> a.type().equals("private"))
              .findFirst()
              .orElseThrow();
      String download =
          cloudinary.privateDownload(
              secret.publicId(),
              secret.format(),
              ObjectUtils.asMap("type", "private", "resource_type", secret.resourceType()));
      assertTrue(download.startsWith(emulator.baseUri() + "/v1_1/"), download);
      HttpResponse<byte[]> response = get(download);
      assertEquals(200, response.statusCode());
      assertArrayEquals(secret.content(), response.body());

      emulator.deliveryBaseUrl(null);
      assertEquals(emulator.baseUri(), emulator.deliveryBaseUrl());
      assertTrue(emulator.deliveryUrl(some).startsWith(emulator.baseUri() + "/demo-cloud/"));
    }
  }

  @Test
  void onlyHttpBaseUrlsWithAHostAreTaken() {
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(EmulatorAccount.demo())) {
      for (String bad :
          List.of(
              "ftp://127.0.0.1/x",
              "127.0.0.1:8081",
              "http:///x",
              "http://h/x?q=1",
              "http://h/x#f",
              "http://user@h/")) {
        assertThrows(
            IllegalArgumentException.class, () -> emulator.deliveryBaseUrl(URI.create(bad)), bad);
      }
      emulator.deliveryBaseUrl(URI.create("https://cdn.example.com/static/"));
      assertEquals(URI.create("https://cdn.example.com/static"), emulator.deliveryBaseUrl());
    }
  }

  /**
   * Every listed upload original is fetched from a static file server rooted at the export, which
   * finds files as nginx does (the path percent-decoded by {@link URI#getPath()}, not by the
   * emulator's own codec), byte for byte.
   */
  @Test
  void exportedOriginalsAreServedByAStaticServerAtTheUrlsTheApiNames(@TempDir Path tmp)
      throws Exception {
    EmulatorAccount account =
        EmulatorAccount.generate(3, 400, FolderMode.FIXED, 100, 300, Set.of("upload"));
    for (String publicId : AWKWARD_IDS) {
      account.add(
          EmulatedAsset.builder()
              .publicId(publicId)
              .format("png")
              .content(publicId.getBytes(StandardCharsets.UTF_8))
              .build());
      account.add(
          EmulatedAsset.builder()
              .publicId(publicId + ".bin")
              .resourceType("raw")
              .generatedContent(publicId.hashCode(), 50)
              .build());
    }
    Path root = tmp.resolve("static");
    HttpServer files = staticServer(root);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      URI base = URI.create("http://127.0.0.1:" + files.getAddress().getPort());
      emulator.deliveryBaseUrl(base);
      Path list = tmp.resolve("urls.txt");
      OriginalsExport.Result result = emulator.exportOriginals(root, list);
      assertEquals(account.size(), result.files());
      assertEquals(account.assets().stream().mapToLong(EmulatedAsset::bytes).sum(), result.bytes());
      try (Stream<Path> walk = Files.walk(root)) {
        assertEquals(account.size(), walk.filter(Files::isRegularFile).count());
      }

      Cloudinary cloudinary = new Cloudinary(emulator.cloudinaryUrl());
      Set<String> listed = new HashSet<>();
      for (String resourceType : List.of("image", "video", "raw")) {
        String cursor = null;
        do {
          ApiResponse page =
              cloudinary
                  .api()
                  .resources(
                      ObjectUtils.asMap(
                          "resource_type",
                          resourceType,
                          "max_results",
                          500,
                          "next_cursor",
                          cursor));
          for (Map<?, ?> item : resources(page)) {
            String url = (String) item.get("secure_url");
            listed.add(url);
            EmulatedAsset asset = account.byAssetId((String) item.get("asset_id")).orElseThrow();
            HttpResponse<byte[]> response = get(url);
            assertEquals(200, response.statusCode(), url);
            assertArrayEquals(asset.content(), response.body(), url);
          }
          cursor = (String) page.get("next_cursor");
        } while (cursor != null);
      }
      assertEquals(account.size(), listed.size());
      List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
      assertEquals(account.size(), lines.size());
      assertEquals(listed, new HashSet<>(lines));
      assertTrue(lines.stream().noneMatch(url -> url.contains(" ") || url.contains("\t")));
    } finally {
      files.stop(0);
    }
  }

  @Test
  void onlyUploadOriginalsAreExported(@TempDir Path tmp) throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(9, 600, FolderMode.DYNAMIC, 10, 20);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      OriginalsExport.Result result = emulator.exportOriginals(tmp, null);
      List<EmulatedAsset> uploads =
          account.assets().stream().filter(a -> a.type().equals("upload")).toList();
      assertTrue(uploads.size() < account.size());
      assertEquals(uploads.size(), result.files());
      for (EmulatedAsset asset : uploads) {
        Path file = tmp.resolve(URI.create(emulator.deliveryUrl(asset)).getPath().substring(1));
        assertArrayEquals(asset.content(), Files.readAllBytes(file), asset::toString);
      }
      try (Stream<Path> walk = Files.walk(tmp)) {
        Set<String> types =
            walk.filter(Files::isRegularFile)
                .map(p -> tmp.relativize(p).getName(2).toString())
                .collect(Collectors.toSet());
        assertEquals(Set.of("upload"), types);
      }
    }
  }

  @Test
  void theRequestLogHasALinePerRequestWithItsKindAndStatus(@TempDir Path tmp) throws Exception {
    Path log = tmp.resolve("requests.tsv");
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(EmulatorAccount.demo())) {
      emulator.requestLog(log);
      // A window so long that no boundary falls between the calls.
      emulator.rateLimiter().limit(2).window(java.time.Duration.ofDays(100_000));
      Cloudinary cloudinary = new Cloudinary(emulator.cloudinaryUrl());
      cloudinary.api().ping(ObjectUtils.emptyMap());
      cloudinary.api().resources(ObjectUtils.asMap("max_results", 5));
      assertThrows(RateLimited.class, () -> cloudinary.api().ping(ObjectUtils.emptyMap()));
      EmulatedAsset upload =
          emulator.account().assets().stream()
              .filter(a -> a.type().equals("upload"))
              .findFirst()
              .orElseThrow();
      assertEquals(200, get(emulator.deliveryUrl(upload)).statusCode());
      assertEquals(404, get(emulator.baseUri() + "/nothing").statusCode());

      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      assertEquals("# epoch_ms\tat\tkind\tstatus\tmethod\tpath\tfault", lines.get(0));
      List<String[]> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        rows.add(line.split("\t", -1));
      }
      assertEquals(
          List.of("ADMIN 200", "ADMIN 200", "ADMIN 420", "DELIVERY 200", "OTHER 404"),
          rows.stream().map(r -> r[2] + " " + r[3]).toList());
      List<RecordedRequest> recorded = emulator.requests();
      for (int i = 0; i < rows.size(); i++) {
        String[] row = rows.get(i);
        assertEquals(7, row.length);
        assertEquals(recorded.get(i).at().toEpochMilli(), Long.parseLong(row[0]));
        assertEquals(recorded.get(i).at().toString(), row[1]);
        assertEquals("GET", row[4]);
        assertEquals(recorded.get(i).path(), row[5]);
        assertEquals("-", row[6]);
      }
      assertEquals("/v1_1/demo-cloud/ping", rows.get(0)[5]);
    }
  }

  /**
   * Serves files under root as nginx does: the request's path percent-decoded as UTF-8, 404 when
   * missing.
   */
  private static HttpServer staticServer(Path root) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext(
        "/",
        exchange -> {
          try {
            Path file = root;
            for (String segment : exchange.getRequestURI().getPath().split("/")) {
              if (!segment.isEmpty()) {
                file = file.resolve(segment);
              }
            }
            if (!file.normalize().startsWith(root) || !Files.isRegularFile(file)) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } finally {
            exchange.close();
          }
        });
    server.start();
    return server;
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<?, ?>> resources(ApiResponse page) {
    return (List<Map<?, ?>>) page.get("resources");
  }
}
