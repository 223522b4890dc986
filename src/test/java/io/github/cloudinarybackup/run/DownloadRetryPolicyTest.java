package io.github.cloudinarybackup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.files.LocalWriteException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Which failed downloads get another try, and how many. */
class DownloadRetryPolicyTest {

  private final BackupSession session =
      new BackupSession(
          BackupConfiguration.load(key -> Optional.empty(), Map.of()), null, new RunOutcome());
  private final DownloadRetryPolicy policy = new DownloadRetryPolicy(session, 3, null);
  private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

  private boolean after(Exception failure) {
    exchange.setException(failure);
    return policy.shouldRetry(exchange);
  }

  private static HttpOperationFailedException status(int code) {
    return new HttpOperationFailedException("http://x", code, "", null, Map.of(), "");
  }

  @Test
  void theAttemptsAreCountedHereWhateverHappensToCamelsHeaders() {
    for (int i = 0; i < 3; i++) {
      exchange
          .getIn()
          .removeHeaders("*"); // what the download step once did to Camel's redelivery counter
      assertTrue(after(new IOException("reset")), "retry " + (i + 1));
    }
    assertFalse(after(new IOException("reset")), "the fourth failure is final");
    assertEquals(4, exchange.getProperty(DownloadRetryPolicy.FAILURES, Integer.class));
  }

  @Test
  void statusesThatMayPassAreRetriedOthersAreNot() {
    assertTrue(after(status(503)));
    assertTrue(after(status(429)));
    assertFalse(after(status(404)));
  }

  @Test
  void a401IsRetriedOnceForAFreshSignatureAndCountsLikeAnyOther() {
    assertTrue(after(status(401)));
    assertFalse(after(status(401)));
    assertEquals(2, exchange.getProperty(DownloadRetryPolicy.FAILURES, Integer.class));
  }

  @Test
  void whatTheFilesystemOrAStoppingRunSaysIsFinal() {
    assertFalse(
        after(
            new LocalWriteException(
                "cannot write x", new FileSystemException("x", null, "File name too long"))));
    Exchange next = new DefaultExchange(new DefaultCamelContext());
    session.requestStop(new RunStoppedException("stopping", ExitCode.ABORTED));
    next.setException(new IOException("reset"));
    assertFalse(policy.shouldRetry(next), "a stopping run starts nothing new");
  }
}
