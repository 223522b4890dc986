package io.github.cloudinarybackup.cloudinary;

import java.time.Instant;

/**
 * How the latest Admin calls went: when Cloudinary last answered (a rate-limit refusal is an
 * answer) and when a call last failed (unreachable, 5xx, not JSON, credentials refused), with why.
 *
 * @param lastAnswer {@code null} before the first answer
 * @param lastFailure {@code null} before the first failure
 * @param failure one line, or {@code null}
 */
public record ConnectionStatus(Instant lastAnswer, Instant lastFailure, String failure) {

  static final ConnectionStatus NONE = new ConnectionStatus(null, null, null);

  /** The latest call failed: nothing answered since. */
  public boolean failing() {
    return lastFailure != null && (lastAnswer == null || lastFailure.isAfter(lastAnswer));
  }

  ConnectionStatus answered(Instant at) {
    return new ConnectionStatus(at, lastFailure, failure);
  }

  ConnectionStatus failed(Instant at, String why) {
    return new ConnectionStatus(lastAnswer, at, why);
  }
}
