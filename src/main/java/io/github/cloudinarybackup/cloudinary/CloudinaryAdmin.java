package io.github.cloudinarybackup.cloudinary;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.ApiResponse;
import com.cloudinary.api.AuthorizationRequired;
import com.cloudinary.api.RateLimit;
import com.cloudinary.api.exceptions.ApiException;
import com.cloudinary.api.exceptions.GeneralError;
import com.cloudinary.api.exceptions.NotAllowed;
import com.cloudinary.api.exceptions.NotFound;
import com.cloudinary.api.exceptions.RateLimited;
import com.cloudinary.utils.ObjectUtils;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import io.github.cloudinarybackup.config.ConfigurationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call the backup makes to Cloudinary, through the official Java SDK: the credential and
 * folder-mode check, one page of a listing, and the signed URL of a private or authenticated
 * original.
 */
public final class CloudinaryAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(CloudinaryAdmin.class);
  private static final Pattern UNEXPECTED_STATUS =
      Pattern.compile("Server returned unexpected status code - (\\d{3}) - ");
  private static final Pattern ERROR_MESSAGE =
      Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Cloudinary sdk;
  private final CloudinaryCredentials credentials;
  private final AtomicLong calls = new AtomicLong();
  private volatile RateLimit lastRateLimit;
  private volatile ConnectionStatus connection = ConnectionStatus.NONE;

  public CloudinaryAdmin(CloudinaryCredentials credentials) {
    this.credentials = credentials;
    this.sdk = new Cloudinary(credentials.sdkConfig());
  }

  /**
   * Checks the credentials and reads the folder mode with {@code GET /config?settings=true}.
   *
   * @throws ConfigurationException when the credentials are refused
   * @throws CloudinaryRateLimitException when Cloudinary says to wait
   * @throws CloudinaryUnavailableException when the API cannot be reached or answers nonsense
   */
  public FolderMode checkCredentialsAndFolderMode() throws Exception {
    try {
      ApiResponse config = call(() -> sdk.api().configuration(ObjectUtils.asMap("settings", true)));
      Object settings = config.get("settings");
      Object mode = settings instanceof Map<?, ?> m ? m.get("folder_mode") : null;
      if ("dynamic".equals(mode)) {
        return FolderMode.DYNAMIC;
      }
      if ("fixed".equals(mode)) {
        return FolderMode.FIXED;
      }
      LOG.warn(
          "Cloudinary did not report a folder mode; laying out each asset by the keys it carries");
      return FolderMode.UNKNOWN;
    } catch (AuthorizationRequired e) {
      throw new ConfigurationException(
          "authentication failed for cloud '" + credentials.cloudName() + "': " + e.getMessage());
    } catch (NotAllowed | NotFound e) {
      LOG.warn(
          "cannot read the account settings ({}); laying out each asset by the keys it carries",
          e.getMessage());
      return FolderMode.UNKNOWN;
    }
  }

  /**
   * One page of {@code GET /resources/<resourceType>[/<deliveryType>]}.
   *
   * @param deliveryType one delivery type, or {@code null} for all of them
   * @param prefix a public_id prefix, or {@code null}
   */
  public ListingPage listResources(
      String resourceType, String deliveryType, String prefix, String cursor, int pageSize)
      throws Exception {
    Map<String, Object> options = new HashMap<>();
    options.put("resource_type", resourceType);
    if (deliveryType != null) {
      options.put("type", deliveryType);
    }
    if (prefix != null) {
      options.put("prefix", prefix);
    }
    options.put("max_results", pageSize);
    // kept in the catalog and the manifest: Cloudinary's own backups do not keep them
    options.put("tags", true);
    options.put("context", true);
    options.put("metadata", true);
    if (cursor != null) {
      options.put("next_cursor", cursor);
    }
    return page(call(() -> sdk.api().resources(options)));
  }

  /**
   * One page of {@code POST /resources/search}: the assets matching a search expression, with their
   * etag (an MD5 the download is checked against), tags, context and structured metadata.
   */
  public ListingPage search(String expression, String cursor, int pageSize) throws Exception {
    return page(
        call(
            () -> {
              var search =
                  sdk.search()
                      .expression(expression)
                      .maxResults(pageSize)
                      .sortBy("public_id", "asc")
                      .withField("tags")
                      .withField("context")
                      .withField("metadata");
              return (cursor == null ? search : search.nextCursor(cursor)).execute();
            }));
  }

  private static ListingPage page(ApiResponse response) {
    Object next = response.get("next_cursor");
    String nextCursor =
        next == null || next.toString().isEmpty() || next == org.cloudinary.json.JSONObject.NULL
            ? null
            : next.toString();
    Object total = response.get("total_count");
    long totalCount = total instanceof Number n ? n.longValue() : -1;
    return new ListingPage(resourcesOf(response), nextCursor, totalCount);
  }

  /** The account's configuration, one Admin call each: see {@link ConfigurationCall}. */
  public Map<String, Object> configuration(ConfigurationCall what, String argument, String cursor)
      throws Exception {
    Map<String, Object> options = new HashMap<>();
    if (what.paged()) {
      options.put("max_results", 500);
      if (cursor != null) {
        options.put("next_cursor", cursor);
      }
    }
    ApiResponse response =
        call(
            () ->
                switch (what) {
                  case METADATA_FIELDS -> sdk.api().listMetadataFields();
                  case UPLOAD_PRESETS -> sdk.api().uploadPresets(options);
                  case NAMED_TRANSFORMATIONS -> {
                    options.put("named", true);
                    yield sdk.api().transformations(options);
                  }
                  case TRANSFORMATION -> sdk.api().transformation(argument, options);
                  case UPLOAD_MAPPINGS -> sdk.api().uploadMappings(options);
                  case FOLDER_SEARCH -> {
                    var search = sdk.searchFolders().maxResults(500).sortBy("path", "asc");
                    yield (cursor == null ? search : search.nextCursor(cursor)).execute();
                  }
                  case FOLDERS ->
                      argument == null || argument.isEmpty()
                          ? sdk.api().rootFolders(options)
                          : sdk.api().subFolders(argument, options);
                });
    @SuppressWarnings("unchecked")
    Map<String, Object> plain = (Map<String, Object>) plain(response);
    return plain;
  }

  /** The SDK's JSON (org.cloudinary.json objects inside maps) as plain maps and lists. */
  private static Object plain(Object value) {
    if (value instanceof org.cloudinary.json.JSONObject json) {
      return plain(ObjectUtils.toMap(json));
    }
    if (value instanceof org.cloudinary.json.JSONArray array) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < array.length(); i++) {
        list.add(plain(array.get(i)));
      }
      return list;
    }
    if (value == org.cloudinary.json.JSONObject.NULL) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (value instanceof Iterable<?> items) {
      List<Object> list = new ArrayList<>();
      items.forEach(item -> list.add(plain(item)));
      return list;
    }
    return value;
  }

  /** A signed {@code /download} URL for an original that {@code secure_url} does not serve. */
  public String privateDownloadUrl(CloudinaryResource resource) throws Exception {
    Map<String, Object> options = new HashMap<>();
    options.put("type", resource.type());
    options.put("resource_type", resource.resourceType());
    return sdk.privateDownload(resource.publicId(), resource.format(), options);
  }

  /** Admin calls made by this process. */
  public long calls() {
    return calls.get();
  }

  /** The rate-limit headers of the latest Admin response, or {@code null} before the first one. */
  public RateLimit lastRateLimit() {
    return lastRateLimit;
  }

  /** How the latest Admin calls went, for the health check. */
  public ConnectionStatus connectionStatus() {
    return connection;
  }

  /**
   * Makes one Admin call, remembers its rate-limit headers and how it went, and sorts failures into
   * retryable kinds.
   */
  private ApiResponse call(SdkCall call) throws Exception {
    calls.incrementAndGet();
    ApiResponse response;
    try {
      response = call.run();
    } catch (Exception e) {
      Exception sorted = sort(e);
      boolean answered =
          sorted instanceof CloudinaryRateLimitException
              || sorted instanceof NotFound
              || sorted instanceof NotAllowed;
      connection =
          answered
              ? connection.answered(Instant.now())
              : connection.failed(Instant.now(), shortReason(sorted));
      throw sorted;
    }
    connection = connection.answered(Instant.now());
    try {
      RateLimit limit = response.apiRateLimit();
      if (limit != null && limit.getReset() != null) {
        lastRateLimit = limit;
      }
    } catch (java.text.ParseException | RuntimeException e) {
      LOG.debug("unreadable rate-limit headers: {}", e.getMessage());
    }
    return response;
  }

  private Exception sort(Exception e) {
    if (e instanceof RateLimited) {
      return new CloudinaryRateLimitException(e.getMessage(), e);
    }
    if (e instanceof GeneralError general) {
      return classify(general);
    }
    if (e instanceof ApiException || !(e instanceof RuntimeException)) {
      return e;
    }
    // the SDK's answer to a body that is not JSON, e.g. an HTML error page from a proxy
    return new CloudinaryUnavailableException(
        "unexpected answer from the Cloudinary API at "
            + credentials.apiHost()
            + ": "
            + e.getMessage(),
        e);
  }

  /** Why a call failed, for the health check: one line, and short (an HTML error page is not). */
  private static String shortReason(Exception e) {
    String message = Messages.oneLine(e);
    return message.length() > 300 ? message.substring(0, 300) + "…" : message;
  }

  /**
   * GeneralError covers I/O failures, 500 and every unmapped status; only some are worth a retry.
   */
  private Exception classify(GeneralError e) {
    Matcher status = UNEXPECTED_STATUS.matcher(e.getMessage() == null ? "" : e.getMessage());
    if (status.lookingAt()) {
      int code = Integer.parseInt(status.group(1));
      if (code == 429) {
        String body = e.getMessage().substring(status.end());
        Matcher message = ERROR_MESSAGE.matcher(body);
        return new CloudinaryRateLimitException(
            message.find() ? message.group(1) : "HTTP 429 " + body, e);
      }
      if (code < 500) {
        return e;
      }
    }
    return new CloudinaryUnavailableException(
        "the Cloudinary API at " + credentials.apiHost() + " failed: " + e.getMessage(), e);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> resourcesOf(ApiResponse response) {
    Object list = response.get("resources");
    List<Map<String, Object>> out = new ArrayList<>();
    if (list instanceof Iterable<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map) {
          out.add((Map<String, Object>) map);
        } else if (item instanceof org.cloudinary.json.JSONObject json) {
          out.add(ObjectUtils.toMap(json));
        }
      }
    }
    return out;
  }

  @FunctionalInterface
  private interface SdkCall {
    ApiResponse run() throws Exception;
  }
}
