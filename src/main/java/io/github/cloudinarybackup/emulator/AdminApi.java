package io.github.cloudinarybackup.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Admin API under {@code /v1_1/<cloud>/}: HTTP Basic authentication, the rate-limit budget and
 * its headers, then routing to ping, config, resource listing, details, search, folders and the
 * configuration endpoints.
 */
final class AdminApi {

  /**
   * RFC 1123, as the SDK parses it with {@code SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss z",
   * ENGLISH)}.
   */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private static final String HTML_401 =
      """
            <html>
            <head><title>401 Authorization Required</title></head>
            <body>
            <center><h1>401 Authorization Required</h1></center>
            <hr><center>nginx</center>
            </body>
            </html>
            """;

  private final EmulatorAccount account;
  private final RateLimiter rateLimiter;
  private final EmulatorFaults faults;
  private final ResourceJson json;
  private final ResourceListing listing;
  private final ResourceSearch search;
  private final ConfigurationEndpoints configuration;

  AdminApi(
      EmulatorAccount account, RateLimiter rateLimiter, EmulatorFaults faults, ResourceJson json) {
    this.account = account;
    this.rateLimiter = rateLimiter;
    this.faults = faults;
    this.json = json;
    this.listing = new ResourceListing(account, json, faults);
    this.search = new ResourceSearch(account, json, faults);
    this.configuration = new ConfigurationEndpoints(account.configuration());
  }

  /**
   * @param segments the raw path segments after {@code v1_1}, starting with the cloud name
   */
  HttpReply handle(HttpExchange exchange, List<String> segments) throws IOException {
    try {
      authenticate(exchange, UrlCodec.decodePathSegment(segments.get(0)));
    } catch (ApiError e) {
      HttpReply reply =
          faults.htmlUnauthorized()
              ? HttpReply.text(401, "text/html", HTML_401)
              : HttpReply.error(e.status(), e.getMessage());
      return withRateLimitHeaders(reply, rateLimiter.peek());
    }
    RateLimiter.Decision decision = rateLimiter.tryAcquire();
    if (!decision.allowed()) {
      return withRateLimitHeaders(
          HttpReply.error(rateLimiter.status(), rateLimiter.exceededMessage(decision)), decision);
    }
    HttpReply reply;
    try {
      List<String> route =
          segments.subList(1, segments.size()).stream().map(UrlCodec::decodePathSegment).toList();
      reply = HttpReply.json(200, route(exchange, route));
    } catch (ApiError e) {
      reply = HttpReply.error(e.status(), e.getMessage());
    }
    return withRateLimitHeaders(reply, decision);
  }

  private void authenticate(HttpExchange exchange, String cloudName) {
    if (!cloudName.equals(account.cloudName())) {
      throw ApiError.unauthorized("Invalid cloud_name " + cloudName);
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw ApiError.unauthorized("Must supply api_key");
    }
    String credentials;
    try {
      credentials =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.unauthorized("Must supply api_key");
    }
    int colon = credentials.indexOf(':');
    String key = colon < 0 ? credentials : credentials.substring(0, colon);
    if (key.isEmpty()) {
      throw ApiError.unauthorized("Must supply api_key");
    }
    if (!key.equals(account.apiKey())) {
      throw ApiError.unauthorized("Unknown API key " + key);
    }
    String secret = colon < 0 ? "" : credentials.substring(colon + 1);
    if (!Signatures.constantTimeEquals(secret, account.apiSecret())) {
      throw ApiError.unauthorized("api_secret mismatch");
    }
  }

  private Object route(HttpExchange exchange, List<String> route) throws IOException {
    String method = exchange.getRequestMethod();
    String first = route.isEmpty() ? "" : route.get(0);
    QueryParams query = new QueryParams(UrlCodec.parseForm(exchange.getRequestURI().getRawQuery()));
    boolean get = method.equals("GET");
    if (get && route.equals(List.of("ping"))) {
      return Map.of("status", "ok");
    }
    if (get && route.equals(List.of("config"))) {
      return config(query.flag("settings"));
    }
    if (get && route.equals(List.of("metadata_fields"))) {
      return configuration.metadataFields();
    }
    boolean post = method.equals("POST");
    if (post && route.equals(List.of("metadata_fields"))) {
      return configuration.createMetadataField(requestBody(exchange));
    }
    if (post && route.equals(List.of("upload_presets"))) {
      return configuration.createUploadPreset(form(exchange, query));
    }
    if (post && route.equals(List.of("transformations"))) {
      return configuration.createTransformation(form(exchange, query));
    }
    if (post && route.equals(List.of("upload_mappings"))) {
      return configuration.createUploadMapping(form(exchange, query));
    }
    if (post && first.equals("folders") && route.size() > 1 && !route.get(1).equals("search")) {
      return AssetFolders.create(account, String.join("/", route.subList(1, route.size())));
    }
    if (get && route.equals(List.of("upload_presets"))) {
      return configuration.uploadPresets(query);
    }
    if (get && first.equals("transformations")) {
      return route.size() == 1
          ? configuration.transformations(query)
          : configuration.transformation(String.join("/", route.subList(1, route.size())));
    }
    if (get && route.equals(List.of("upload_mappings"))) {
      return configuration.uploadMappings(query);
    }
    if (route.equals(List.of("folders", "search")) && (method.equals("POST") || get)) {
      return AssetFolders.search(
          account, method.equals("POST") ? requestBody(exchange) : flatten(query));
    }
    if (get && first.equals("folders")) {
      return AssetFolders.subfolders(account, String.join("/", route.subList(1, route.size())));
    }
    if (!first.equals("resources")) {
      throw ApiError.notFound(
          "Unsupported Admin API endpoint " + exchange.getRequestURI().getRawPath());
    }
    if (route.size() == 2 && route.get(1).equals("search") && (method.equals("POST") || get)) {
      return search.search(method.equals("POST") ? requestBody(exchange) : flatten(query));
    }
    if (!get) {
      throw ApiError.notFound(
          "Unsupported Admin API endpoint " + method + " " + exchange.getRequestURI().getRawPath());
    }
    return switch (route.size()) {
      case 1 -> resourceTypes();
      case 2 -> listOrDetails(route.get(1), query);
      case 3 -> listing.list(route.get(1), route.get(2), query);
      default ->
          details(route.get(1), route.get(2), String.join("/", route.subList(3, route.size())));
    };
  }

  private Map<String, Object> config(boolean withSettings) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cloud_name", account.cloudName());
    body.put("created_at", ResourceJson.timestamp(account.createdAt()));
    if (withSettings) {
      body.put("settings", Map.of("folder_mode", account.folderMode().wireValue()));
    }
    return body;
  }

  private Map<String, Object> resourceTypes() {
    TreeSet<String> types = new TreeSet<>();
    account.assets().forEach(a -> types.add(a.resourceType()));
    return Map.of("resource_types", List.copyOf(types));
  }

  /**
   * {@code resources/<x>}: by_asset_folder, a listing of every delivery type, or details by
   * asset_id.
   */
  private Object listOrDetails(String segment, QueryParams query) {
    if (segment.equals("by_asset_folder")) {
      return listing.byAssetFolder(query);
    }
    if (ResourceListing.RESOURCE_TYPES.contains(segment)) {
      return listing.list(segment, null, query);
    }
    if (!segment.matches("[0-9a-f]{32}")) {
      throw ApiError.badRequest("Invalid resource type " + segment);
    }
    return json.details(
        account
            .byAssetId(segment)
            .orElseThrow(() -> ApiError.notFound("Resource not found - " + segment)));
  }

  private Map<String, Object> details(String resourceType, String type, String publicId) {
    ResourceListing.requireResourceType(resourceType);
    return json.details(
        account
            .byPublicId(resourceType, type, publicId)
            .orElseThrow(() -> ApiError.notFound("Resource not found - " + publicId)));
  }

  private static Map<String, Object> requestBody(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
      return flatten(new QueryParams(UrlCodec.parseForm(new String(body, StandardCharsets.UTF_8))));
    }
    if (body.length == 0) {
      return Map.of();
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = HttpReply.JSON.readValue(body, Map.class);
      return parsed;
    } catch (IOException e) {
      throw ApiError.badRequest("Invalid JSON body: " + e.getMessage());
    }
  }

  /**
   * A POST's urlencoded fields (the SDK's config calls), the query's included; repeated keys joined
   * by commas.
   */
  private static Map<String, String> form(HttpExchange exchange, QueryParams query)
      throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    UrlCodec.parseForm(exchange.getRequestURI().getRawQuery())
        .forEach((k, v) -> fields.put(k, String.join(",", v)));
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    UrlCodec.parseForm(new String(body, StandardCharsets.UTF_8))
        .forEach((k, v) -> fields.put(k, String.join(",", v)));
    return fields;
  }

  /** Search parameters sent as a query or form instead of JSON. */
  private static Map<String, Object> flatten(QueryParams query) {
    Map<String, Object> request = new LinkedHashMap<>();
    for (String key : List.of("expression", "max_results", "next_cursor")) {
      if (query.get(key) != null) {
        request.put(key, query.get(key));
      }
    }
    if (query.csv("with_field") != null) {
      request.put("with_field", List.copyOf(query.csv("with_field")));
    }
    return request;
  }

  private static HttpReply withRateLimitHeaders(HttpReply reply, RateLimiter.Decision decision) {
    return reply
        .header("X-FeatureRateLimit-Limit", Integer.toString(decision.limit()))
        .header("X-FeatureRateLimit-Remaining", Integer.toString(decision.remaining()))
        .header("X-FeatureRateLimit-Reset", HTTP_DATE.format(decision.resetAt()));
  }
}
