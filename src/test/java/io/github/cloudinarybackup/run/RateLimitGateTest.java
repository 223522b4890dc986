package io.github.cloudinarybackup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.config.BackupConfiguration;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import io.github.cloudinarybackup.config.RateLimitReserve;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * When {@link RateLimitGate} lets the next Admin call go: the instant a refusal names, the window's
 * reset when the budget is at its reserve, else a doubling backoff up to its cap. Every clock is
 * fixed, the emulator's included: the test asserts instants it computed, never a time it took.
 */
class RateLimitGateTest {

  private static final Duration MARGIN = Duration.ofSeconds(1);
  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

  private static RateLimitGate gate(CloudinaryAdmin admin, Clock clock) {
    return gate(session(admin), clock);
  }

  private static BackupSession session(CloudinaryAdmin admin) {
    return new BackupSession(
        BackupConfiguration.load(key -> Optional.empty(), Map.of()), admin, new RunOutcome());
  }

  private static RateLimitGate gate(BackupSession session, Clock clock) {
    return new RateLimitGate(
        session,
        clock,
        MARGIN,
        RateLimitReserve.parse("10%"),
        Duration.ofSeconds(2),
        Duration.ofSeconds(10));
  }

  private static Exchange refused(String message) {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new RuntimeException(message));
    return exchange;
  }

  private static CloudinaryAdmin unusedAdmin() {
    return new CloudinaryAdmin(CloudinaryCredentials.fromUrl("cloudinary://1:2@c"));
  }

  @Test
  void aRefusalThatNamesItsInstantHoldsCallsUntilThenPlusTheMargin() {
    RateLimitGate gate = gate(unusedAdmin(), Clock.fixed(NOW, ZoneOffset.UTC));
    gate.parkUntilReset(
        refused(
            "Rate Limit Exceeded. Limit of 500 api operations reached. Try again on 2026-12-01"
                + " 09:00:00 UTC"));
    assertEquals(Instant.parse("2026-12-01T09:00:01Z"), gate.heldUntil());
    assertTrue(gate.millisUntilAllowed() > 0, "held");
    RateLimitGate later =
        gate(unusedAdmin(), Clock.fixed(Instant.parse("2026-12-01T09:00:01Z"), ZoneOffset.UTC));
    later.parkUntilReset(refused("Try again on 2026-12-01 09:00:00 UTC"));
    assertEquals(0, later.millisUntilAllowed(), "the named instant and its margin are past: go");
  }

  @Test
  void refusalsThatNameNoInstantBackOffDoublingUpToTheCap() {
    RateLimitGate gate = gate(unusedAdmin(), Clock.fixed(NOW, ZoneOffset.UTC));
    long[] expected = {2, 4, 8, 10, 10};
    for (long seconds : expected) {
      gate.parkUntilReset(refused("Rate Limit Exceeded"));
      assertEquals(NOW.plusSeconds(seconds), gate.heldUntil());
    }
  }

  @Test
  void aBudgetAtItsReserveHoldsCallsUntilTheAnnouncedResetAndNotBefore() throws Exception {
    EmulatorAccount account = EmulatorAccount.demo();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      // the emulator's windows on a fixed clock too: none ends while the test runs
      emulator
          .rateLimiter()
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .limit(10)
          .window(Duration.ofHours(1));
      CloudinaryAdmin admin =
          new CloudinaryAdmin(CloudinaryCredentials.fromUrl(emulator.cloudinaryUrl()));
      admin.checkCredentialsAndFolderMode(); // 9 of 10 left: above the reserve (10% of 10 = 1)
      Instant reset = admin.lastRateLimit().getReset().toInstant();
      assertEquals(Instant.parse("2026-12-01T09:00:00Z"), reset, "the window ends on the hour");
      Clock beforeReset = Clock.fixed(reset.minusSeconds(30), ZoneOffset.UTC);
      assertEquals(0, gate(admin, beforeReset).millisUntilAllowed(), "9 left: go");
      for (int i = 0; i < 8; i++) {
        admin.checkCredentialsAndFolderMode();
      }
      assertEquals(1, admin.lastRateLimit().getRemaining());
      RateLimitGate gate = gate(admin, beforeReset);
      assertEquals(reset.plus(MARGIN), gate.heldUntil(), "held until the reset and its margin");
      assertTrue(gate.millisUntilAllowed() > 0, "held");
      RateLimitGate after = gate(admin, Clock.fixed(reset.plusSeconds(5), ZoneOffset.UTC));
      assertEquals(0, after.millisUntilAllowed(), "the window has reset: go");
    }
  }

  /**
   * A refused call is made again by Camel's error handler: after the pause the refusal names, and
   * with its fault retries still all to come (the counter Camel keeps is cleared).
   */
  @Test
  void aRefusedCallIsMadeAgainWhenThePauseIsOverWithItsFaultRetriesIntact() {
    RateLimitGate gate = gate(unusedAdmin(), Clock.fixed(NOW, ZoneOffset.UTC));
    Exchange exchange = refused("Rate Limit Exceeded. Try again on 2026-12-01 08:00:30 UTC");
    exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 3);
    assertTrue(gate.retryAfterRefusal(exchange));
    assertEquals(31_000L, exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY, Long.class));
    assertNull(exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER));
  }

  /** A run that is stopping makes no more calls: it ends for its own reason, not the refusal. */
  @Test
  void aStoppingRunDoesNotMakeTheRefusedCallAgain() {
    BackupSession session = session(unusedAdmin());
    RunStoppedException stop = new RunStoppedException("SIGTERM", 143);
    session.requestStop(stop);
    Exchange exchange = refused("Rate Limit Exceeded. Try again on 2026-12-01 08:00:30 UTC");
    assertFalse(gate(session, Clock.fixed(NOW, ZoneOffset.UTC)).retryAfterRefusal(exchange));
    assertSame(stop, exchange.getProperty(Exchange.EXCEPTION_CAUGHT));
    assertNull(exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY));
  }

  @Test
  void tryAgainOnReadsCloudinarysInstantOrNothing() {
    assertEquals(
        Optional.of(Instant.parse("2024-06-25T12:00:00Z")),
        RateLimitGate.tryAgainOn("… reached. Try again on 2024-06-25 12:00:00 UTC"));
    assertEquals(Optional.empty(), RateLimitGate.tryAgainOn("Rate Limit Exceeded"));
  }
}
