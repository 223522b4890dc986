package io.github.cloudinarybackup.emulator;

/**
 * Ends a request with Cloudinary's JSON error body {@code {"error":{"message":...}}} and the given
 * status.
 */
final class ApiError extends RuntimeException {

  private final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  static ApiError unauthorized(String message) {
    return new ApiError(401, message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }
}
