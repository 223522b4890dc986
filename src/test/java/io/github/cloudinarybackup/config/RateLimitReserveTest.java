package io.github.cloudinarybackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reserve is relative to the limit Cloudinary announces, and never more than a tenth of it. */
class RateLimitReserveTest {

  @Test
  void aShareOfTheLimitOrANumberNeverMoreThanATenth() {
    assertEquals(50, RateLimitReserve.parse("10%").callsOf(500));
    assertEquals(0, RateLimitReserve.parse("10%").callsOf(5), "a limit of 5: all 5 are used");
    assertEquals(
        0,
        RateLimitReserve.parse("10").callsOf(5),
        "10 calls of a limit of 5 would leave one call a window");
    assertEquals(10, RateLimitReserve.parse("10").callsOf(5000));
    assertEquals(500, RateLimitReserve.parse("50%").callsOf(5000), "capped at a tenth");
    assertEquals(0, RateLimitReserve.parse("0").callsOf(5000));
  }

  @Test
  void offAndNonsense() {
    assertTrue(RateLimitReserve.parse("-1").off());
    assertThrows(IllegalArgumentException.class, () -> RateLimitReserve.parse("ten"));
    assertThrows(IllegalArgumentException.class, () -> RateLimitReserve.parse("150%"));
    assertThrows(IllegalArgumentException.class, () -> RateLimitReserve.parse("-5"));
  }
}
