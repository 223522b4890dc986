package io.github.cloudinarybackup.cloudinary;

/**
 * An Admin call failed in a way that may pass: the host could not be reached, it answered 5xx, or
 * it answered something that is not JSON (an HTML error page). Retried with backoff before giving
 * up.
 */
public class CloudinaryUnavailableException extends Exception {

  public CloudinaryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
