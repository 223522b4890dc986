package io.github.cloudinarybackup.config;

/**
 * Bad configuration or credentials: the run stops before anything is written, prints the message as
 * one line and exits with {@link io.github.cloudinarybackup.ExitCode#CONFIGURATION}.
 */
public class ConfigurationException extends RuntimeException {

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
