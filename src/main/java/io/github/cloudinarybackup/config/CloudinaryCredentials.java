package io.github.cloudinarybackup.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account to back up: cloud name, API key and secret, plus SDK options from the URL's query
 * (notably {@code upload_prefix}, which points the SDK at a regional API host or at the emulator).
 *
 * <p>{@code CLOUDINARY_URL} is parsed here rather than by {@link java.net.URI}, which drops the
 * host and the credentials of a cloud name containing {@code _}.
 */
public record CloudinaryCredentials(
    String cloudName, String apiKey, String apiSecret, Map<String, String> options) {

  private static final Pattern URL =
      Pattern.compile("cloudinary://([^:@/]+):([^@/]+)@([^/?#]+)(/[^?#]*)?(?:\\?([^#]*))?");

  /** Parses {@code cloudinary://<api_key>:<api_secret>@<cloud_name>[/<cdn>][?k=v&...]}. */
  public static CloudinaryCredentials fromUrl(String url) {
    Matcher m = URL.matcher(url.trim());
    if (!m.matches()) {
      throw new ConfigurationException(
          "CLOUDINARY_URL must look like cloudinary://<api_key>:<api_secret>@<cloud_name>[?upload_prefix=...]");
    }
    Map<String, String> options = new LinkedHashMap<>();
    if (m.group(4) != null && m.group(4).length() > 1) {
      options.put("private_cdn", "true");
      options.put("secure_distribution", m.group(4).substring(1));
    }
    if (m.group(5) != null) {
      for (String pair : m.group(5).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          options.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return of(decode(m.group(3)), decode(m.group(1)), decode(m.group(2)), options);
  }

  /** From the three separate settings the original script used. */
  public static CloudinaryCredentials of(
      String cloudName, String apiKey, String apiSecret, Map<String, String> options) {
    if (isBlank(cloudName) || isBlank(apiKey) || isBlank(apiSecret)) {
      throw new ConfigurationException(
          "no Cloudinary credentials: set CLOUDINARY_URL, or CLOUD_NAME, API_KEY and API_SECRET"
              + " (in the environment or a .env file)");
    }
    return new CloudinaryCredentials(
        cloudName.trim(), apiKey.trim(), apiSecret.trim(), Map.copyOf(options));
  }

  /** These credentials with one more SDK option. */
  public CloudinaryCredentials withOption(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(options);
    more.put(key, value);
    return new CloudinaryCredentials(cloudName, apiKey, apiSecret, Map.copyOf(more));
  }

  /** Where Admin API calls go: {@code upload_prefix} if set, else Cloudinary's own host. */
  public String apiHost() {
    return options.getOrDefault("upload_prefix", "https://api.cloudinary.com");
  }

  /** The configuration map the Cloudinary SDK takes. */
  public Map<String, Object> sdkConfig() {
    Map<String, Object> config = new LinkedHashMap<>(options);
    config.put("cloud_name", cloudName);
    config.put("api_key", apiKey);
    config.put("api_secret", apiSecret);
    config.putIfAbsent("secure", "true");
    return config;
  }

  @Override
  public String toString() {
    return "CloudinaryCredentials[cloud="
        + cloudName
        + ", api_key=***, api_secret=***, host="
        + apiHost()
        + "]";
  }

  /** Percent-decoding only: a '+' in a secret is a plus, not a space. */
  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
