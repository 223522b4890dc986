package io.github.cloudinarybackup.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunProgressTest {

  @Test
  void reportsCountsRatesAndAnEtaWhenTheAccountSizeIsKnown() throws InterruptedException {
    RunStatistics s = new RunStatistics();
    s.start();
    s.listed.set(1000);
    s.downloaded.set(300);
    s.unchanged.set(100);
    s.bytes.set(5_000_000);
    s.rateLimitWaits.set(2);
    s.rateLimitWaitMillis.set(61_000);
    Thread.sleep(50);
    String withEta = RunProgress.line(s, 2000);
    assertTrue(
        withEta.startsWith("Progress: listed 1,000, done 400 (downloaded 300, 5.0 MB"), withEta);
    assertTrue(withEta.contains("rate-limit pauses 2 (61 s)"), withEta);
    assertTrue(withEta.matches(".*about \\d+:\\d\\d left$"), withEta);
    assertFalse(
        RunProgress.line(s, 0).contains("left"), "no ETA without an estimate of the account");
  }
}
