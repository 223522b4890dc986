package io.github.cloudinarybackup.cloudinary;

/**
 * Cloudinary refused an Admin call for the rate limit (HTTP 420, or 429 on newer stacks). The
 * message is Cloudinary's own, e.g. {@code Rate Limit Exceeded. Limit of 500 api operations
 * reached. Try again on 2025-08-08 17:00:00 UTC}; {@code RateLimitGate} reads the instant from it.
 */
public class CloudinaryRateLimitException extends Exception {

  public CloudinaryRateLimitException(String message, Throwable cause) {
    super(message, cause);
  }
}
