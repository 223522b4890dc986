package io.github.cloudinarybackup.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A local Cloudinary on 127.0.0.1: the Admin API, the signed download endpoint and delivery URLs,
 * for one account. Point the real SDK at it with {@link #cloudinaryUrl()}.
 *
 * <p>Requests are served by 64 threads. The slow faults ({@link FaultKind#TRICKLE}, {@link
 * FaultKind#ENDLESS_BODY}, {@link FaultKind#SHORT_THEN_HANG}, {@link FaultKind#HANG}) hand their
 * exchange off, so they never use up those threads: trickles and endless bodies are written by a
 * separate, unbounded pool, and hanging exchanges are only remembered until {@link #close()}.
 */
public final class CloudinaryEmulator implements AutoCloseable {

  /** Enough for many concurrent downloads that each sleep through injected latency. */
  private static final int THREADS = 64;

  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Set<String> RESOURCE_TYPES = Set.of("image", "video", "raw");
  private static final String HTML_500 =
      """
            <html><head><title>500 Internal Server Error</title></head>
            <body><center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>
            """;
  private static final Logger LOG = Logger.getLogger(CloudinaryEmulator.class.getName());

  static {
    // HttpServer flushes headers and body as separate segments; without TCP_NODELAY, Nagle plus the
    // client's
    // delayed ACK adds ~40 ms to every response. Read once by the JDK, so it must be set before the
    // first server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final EmulatorAccount account;
  private final EmulatorFaults faults = new EmulatorFaults();
  private final RateLimiter rateLimiter = new RateLimiter();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * Writes trickles and endless bodies, one thread each, so that they hold none of the request
   * threads.
   */
  private final ExecutorService slowWriters;

  /**
   * Exchanges left unanswered or stalled on purpose ({@code HANG}, {@code SHORT_THEN_HANG}) until
   * close().
   */
  private final Set<HttpExchange> parked = ConcurrentHashMap.newKeySet();

  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final URI baseUri;
  private final AdminApi adminApi;
  private final DownloadEndpoint downloads;
  private final DeliveryEndpoint deliveries;
  private final UploadApi uploadApi;
  private final ResourceJson json;

  /** Receives a line per request when set; guarded by {@link #requests}. */
  private BufferedWriter requestLog;

  private CloudinaryEmulator(EmulatorAccount account, int port) throws IOException {
    this.account = account;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    this.baseUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    this.json = new ResourceJson(account, baseUri.toString());
    this.adminApi = new AdminApi(account, rateLimiter, faults, json);
    this.downloads = new DownloadEndpoint(account, Clock.systemUTC());
    this.deliveries = new DeliveryEndpoint(account);
    this.uploadApi = new UploadApi(account, json, Clock.systemUTC());
    String name = "cloudinary-emulator-" + INSTANCES.incrementAndGet();
    this.executor = Executors.newFixedThreadPool(THREADS, daemonThreads(name + "-"));
    this.slowWriters = Executors.newCachedThreadPool(daemonThreads(name + "-slow-"));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts on an ephemeral port of 127.0.0.1. */
  public static CloudinaryEmulator start(EmulatorAccount account) {
    return start(account, 0);
  }

  /** Starts on the given port of 127.0.0.1 (0 picks a free one). */
  public static CloudinaryEmulator start(EmulatorAccount account, int port) {
    try {
      return new CloudinaryEmulator(account, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Cloudinary emulator on port " + port, e);
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI baseUri() {
    return baseUri;
  }

  /** {@code cloudinary://<key>:<secret>@<cloud>?upload_prefix=http://127.0.0.1:PORT}. */
  public String cloudinaryUrl() {
    return "cloudinary://"
        + account.apiKey()
        + ":"
        + account.apiSecret()
        + "@"
        + account.cloudName()
        + "?upload_prefix="
        + baseUri;
  }

  public EmulatorAccount account() {
    return account;
  }

  /**
   * Makes the {@code url} and {@code secure_url} of the Admin API's answers point at another
   * origin, such as a static file server holding the {@link #exportOriginals exported} upload
   * originals. Nothing else moves: the Admin API, the signed {@code /download} endpoint (through
   * which private and authenticated originals are fetched) and the emulator's own delivery URLs
   * stay where they are, and {@link #cloudinaryUrl()} still names the emulator. May be changed
   * while the emulator runs.
   *
   * @param base an http or https URL with a host and no query or fragment, e.g. {@code
   *     http://127.0.0.1:8081}; a trailing slash is dropped. Null points the URLs back at the
   *     emulator.
   * @throws IllegalArgumentException for any other URL
   */
  public CloudinaryEmulator deliveryBaseUrl(URI base) {
    if (base == null) {
      json.baseUrl(baseUri.toString());
      return this;
    }
    String scheme = base.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)
        || base.getHost() == null
        || base.getRawQuery() != null
        || base.getRawFragment() != null
        || base.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "delivery base URL must be http(s)://host[:port][/path], got " + base);
    }
    String text = base.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    json.baseUrl(text);
    return this;
  }

  /**
   * Where {@code url} and {@code secure_url} point: {@link #baseUri()} unless set by {@link
   * #deliveryBaseUrl(URI)}.
   */
  public URI deliveryBaseUrl() {
    return URI.create(json.baseUrl());
  }

  /** The {@code url} (and {@code secure_url}) the Admin API gives for this asset. */
  public String deliveryUrl(EmulatedAsset asset) {
    return json.deliveryUrl(asset);
  }

  /**
   * Writes the originals of the account's {@code upload} assets under {@code dir} as a static
   * server rooted there finds them at their current {@link #deliveryUrl delivery URLs} (see {@link
   * OriginalsExport}); call it after {@link #deliveryBaseUrl(URI)}. Private, authenticated and
   * remote assets are left out.
   *
   * @param urlList if not null, receives the delivery URL of every file written, one a line
   */
  public OriginalsExport.Result exportOriginals(Path dir, Path urlList) {
    return OriginalsExport.write(account, json::deliveryUrl, json.baseUrl(), dir, urlList);
  }

  /**
   * Also writes every request to {@code file} (replaced if present) as it is {@linkplain
   * #requests() recorded}, one line each, tab-separated and flushed at once: arrival time in epoch
   * milliseconds, arrival time in ISO-8601, kind ({@code ADMIN}, {@code DOWNLOAD}, {@code
   * DELIVERY}, {@code OTHER}), status (0 when none was sent), method, raw path, and the injected
   * fault or {@code -}. The first line, starting with {@code #}, names the columns. The file is
   * closed by {@link #close()}.
   */
  public CloudinaryEmulator requestLog(Path file) {
    try {
      BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      writer.write("# epoch_ms\tat\tkind\tstatus\tmethod\tpath\tfault\n");
      writer.flush();
      synchronized (requests) {
        if (requestLog != null) {
          requestLog.close();
        }
        requestLog = writer;
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the request log " + file, e);
    }
  }

  public EmulatorFaults faults() {
    return faults;
  }

  /** The Upload API: what was uploaded, and its settings. */
  public UploadApi uploads() {
    return uploadApi;
  }

  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** Every request so far, ordered by arrival. */
  public List<RecordedRequest> requests() {
    synchronized (requests) {
      List<RecordedRequest> snapshot = new ArrayList<>(requests);
      snapshot.sort(Comparator.comparing(RecordedRequest::at));
      return List.copyOf(snapshot);
    }
  }

  public void clearRequests() {
    synchronized (requests) {
      requests.clear();
    }
  }

  /**
   * Requests received whose response is not finished: being handled, sleeping through latency,
   * trickling, streaming an endless body, or left hanging ({@link FaultKind#HANG}, {@link
   * FaultKind#SHORT_THEN_HANG}). A hanging request counts until {@link #close()}, since the
   * emulator cannot notice that its client gave up; a trickle or endless body stops counting once a
   * write fails after its client closed the connection.
   */
  public int requestsInProgress() {
    return inProgress.get();
  }

  /**
   * Stops at once: closes every connection (hanging ones included, which their clients then see
   * closed without a response), interrupts the request threads (a request sleeping through latency
   * ends there) and the writers of trickles and endless bodies. Returns without waiting for those
   * threads to finish, so {@link #requestsInProgress()} reaches 0 shortly after, as they notice.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    slowWriters.shutdownNow();
    for (HttpExchange exchange : parked) {
      unpark(exchange);
    }
    synchronized (requests) {
      if (requestLog != null) {
        try {
          requestLog.close();
        } catch (IOException e) {
          LOG.log(Level.WARNING, "cannot close the request log", e);
        }
        requestLog = null;
      }
    }
  }

  private void handle(HttpExchange exchange) {
    inProgress.incrementAndGet();
    boolean handedOff = false;
    try {
      handedOff = serve(exchange);
    } finally {
      if (!handedOff) {
        inProgress.decrementAndGet();
      }
    }
  }

  /**
   * @return true when the exchange was handed off (parked or given to a slow writer) and is not
   *     finished yet
   */
  private boolean serve(HttpExchange exchange) {
    Instant at = Instant.now();
    long arrived = System.nanoTime();
    String rawPath = exchange.getRequestURI().getRawPath();
    List<String> segments = UrlCodec.rawSegments(rawPath);
    Kind kind = classify(segments);
    Duration latency = faults.latencyFor(kind);
    try {
      FaultKind fault = faults.faultFor(kind, () -> publicIdOf(exchange, kind, segments));
      if (fault == FaultKind.HANG) {
        // Recorded with status 0 as the hang starts: no status line will ever be sent.
        record(at, exchange, kind, 0, fault);
        park(exchange);
        return true;
      }
      if (fault == FaultKind.CONNECTION_RESET) {
        sleepUntil(arrived, latency);
        record(at, exchange, kind, 0, fault);
        // Closing before any header is sent makes HttpServer drop the connection.
        exchange.close();
        return false;
      }
      HttpReply reply;
      try {
        reply =
            fault != null && fault.isCannedReply()
                ? faultReply(fault)
                : reply(exchange, kind, segments);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "emulator failed on " + rawPath, e);
        reply = HttpReply.error(500, "Internal emulator error: " + e);
      }
      // The answer leaves the injected latency after the request arrived, as over a link with that
      // round trip: the emulator's own work counts inside it, not on top of it.
      sleepUntil(arrived, latency);
      // Logged before the response goes out, so a client that has its answer also finds it in
      // requests().
      record(at, exchange, kind, reply.status(), fault);
      if (fault == null || fault.isCannedReply()) {
        reply.writeTo(exchange);
        return false;
      }
      switch (fault) {
        case TRUNCATED_BODY -> reply.writeTruncated(exchange);
        case LONGER_BODY -> reply.longer(EmulatorFaults.LONGER_BODY_EXTRA_BYTES).writeTo(exchange);
        case TRICKLE, SHORT_THEN_HANG, ENDLESS_BODY -> {
          if (reply.hasBodyFor(exchange)) {
            return handOff(exchange, reply, fault);
          }
          reply.writeTo(exchange);
        }
        default -> throw new IllegalStateException("unhandled fault " + fault);
      }
      return false;
    } catch (IOException e) {
      // The client went away; nothing left to send.
      exchange.close();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
      return false;
    }
  }

  /**
   * The public_id a download or delivery asks for, for {@link EmulatorFaults#alwaysFail}; null when
   * none.
   */
  private String publicIdOf(HttpExchange exchange, Kind kind, List<String> segments) {
    try {
      return switch (kind) {
        case DOWNLOAD -> DownloadEndpoint.publicIdOf(exchange);
        case DELIVERY -> deliveries.publicIdOf(segments);
        case ADMIN, UPLOAD, OTHER -> null;
      };
    } catch (RuntimeException e) {
      // A malformed request addresses no asset; the endpoint reports it as it always does.
      return null;
    }
  }

  private boolean handOff(HttpExchange exchange, HttpReply reply, FaultKind fault) {
    int pace =
        fault == FaultKind.TRICKLE
            ? faults.trickleBytesPerSecond()
            : faults.endlessBodyBytesPerSecond();
    try {
      slowWriters.execute(() -> writeSlowly(exchange, reply, fault, pace));
      return true;
    } catch (RejectedExecutionException e) {
      // Closing.
      exchange.close();
      return false;
    }
  }

  private void writeSlowly(HttpExchange exchange, HttpReply reply, FaultKind fault, int pace) {
    boolean stillOpen = false;
    try {
      switch (fault) {
        case TRICKLE -> HostileBodies.trickle(exchange, reply, pace);
        case ENDLESS_BODY -> HostileBodies.endless(exchange, reply, pace);
        case SHORT_THEN_HANG -> {
          HostileBodies.sendHalf(exchange, reply);
          park(exchange);
          stillOpen = true;
        }
        default -> throw new IllegalStateException("not a slow fault: " + fault);
      }
    } catch (IOException e) {
      // The client went away, or the emulator closed the connection.
      exchange.close();
    } catch (InterruptedException e) {
      // The emulator is closing.
      exchange.close();
      Thread.currentThread().interrupt();
    } finally {
      if (!stillOpen) {
        inProgress.decrementAndGet();
      }
    }
  }

  /**
   * Leaves the exchange open, unanswered or unfinished, until close(); it keeps counting as in
   * progress.
   */
  private void park(HttpExchange exchange) {
    parked.add(exchange);
    if (closed.get()) {
      // close() may have swept the set before this one arrived.
      unpark(exchange);
    }
  }

  private void unpark(HttpExchange exchange) {
    if (parked.remove(exchange)) {
      // Unanswered or short of its Content-Length, so HttpServer drops the connection.
      exchange.close();
      inProgress.decrementAndGet();
    }
  }

  private void record(Instant at, HttpExchange exchange, Kind kind, int status, FaultKind fault) {
    RecordedRequest request =
        new RecordedRequest(
            at,
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            kind,
            status,
            fault);
    synchronized (requests) {
      requests.add(request);
      if (requestLog != null) {
        log(request);
      }
    }
  }

  private void log(RecordedRequest r) {
    try {
      requestLog.write(
          r.at().toEpochMilli()
              + "\t"
              + r.at()
              + "\t"
              + r.kind()
              + "\t"
              + r.status()
              + "\t"
              + r.method()
              + "\t"
              + r.path()
              + "\t"
              + (r.fault() == null ? "-" : r.fault().name())
              + "\n");
      requestLog.flush();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot write the request log; no longer writing it", e);
      try {
        requestLog.close();
      } catch (IOException ignored) {
        // already failing
      }
      requestLog = null;
    }
  }

  private HttpReply reply(HttpExchange exchange, Kind kind, List<String> segments)
      throws IOException {
    String method = exchange.getRequestMethod();
    if ((kind == Kind.DOWNLOAD || kind == Kind.DELIVERY)
        && !method.equals("GET")
        && !method.equals("HEAD")) {
      return HttpReply.error(405, "Method " + method + " not allowed");
    }
    try {
      return switch (kind) {
        case ADMIN -> adminApi.handle(exchange, segments.subList(1, segments.size()));
        case UPLOAD ->
            uploadApi.handle(
                exchange,
                segments.subList(1, segments.size()).stream()
                    .map(UrlCodec::decodePathSegment)
                    .toList());
        case DOWNLOAD ->
            downloads.handle(
                exchange, UrlCodec.decodePathSegment(segments.get(1)), segments.get(2));
        case DELIVERY -> deliveries.handle(segments);
        case OTHER -> HttpReply.error(404, "Not found: " + exchange.getRequestURI().getRawPath());
      };
    } catch (ApiError e) {
      // Cloudinary's CDN explains delivery errors in this header; it must stay ASCII.
      return HttpReply.error(e.status(), e.getMessage())
          .header("X-Cld-Error", e.getMessage().replaceAll("[^\\x20-\\x7e]", "?"));
    }
  }

  /**
   * ADMIN is everything under /v1_1/ but downloads and uploads; DELIVERY is
   * /<cloud>/<rt>/<type>/...
   */
  private static Kind classify(List<String> segments) {
    if (segments.size() >= 2 && segments.get(0).equals("v1_1")) {
      if (segments.size() == 4 && segments.get(3).equals("download")) {
        return Kind.DOWNLOAD;
      }
      boolean upload =
          segments.size() == 4
              && segments.get(3).equals("upload")
              && (RESOURCE_TYPES.contains(segments.get(2)) || segments.get(2).equals("auto"));
      return upload ? Kind.UPLOAD : Kind.ADMIN;
    }
    if (segments.size() >= 4 && RESOURCE_TYPES.contains(segments.get(1))) {
      return Kind.DELIVERY;
    }
    return Kind.OTHER;
  }

  private static HttpReply faultReply(FaultKind fault) {
    return switch (fault) {
      case STATUS_404 -> HttpReply.error(404, "Resource not found (injected)");
      case STATUS_401 -> HttpReply.error(401, "Invalid Signature (injected)");
      case STATUS_500 -> HttpReply.error(500, "Internal Server Error (injected)");
      case STATUS_502 -> HttpReply.error(502, "Bad Gateway (injected)");
      case STATUS_503 -> HttpReply.error(503, "Service Unavailable (injected)");
      case HTML_ERROR_PAGE -> HttpReply.text(500, "text/html", HTML_500);
      case MALFORMED_JSON ->
          HttpReply.text(
              200, "application/json; charset=utf-8", "{\"resources\":[{\"asset_id\":\"trunc");
      default -> throw new IllegalArgumentException("not a canned reply: " + fault);
    };
  }

  /**
   * Never returns early: Thread.sleep may round a sub-millisecond remainder down, so it loops until
   * due.
   */
  private static void sleepUntil(long arrivedNanos, Duration latency) throws InterruptedException {
    long due = arrivedNanos + latency.toNanos();
    for (long left; (left = due - System.nanoTime()) > 0; ) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
