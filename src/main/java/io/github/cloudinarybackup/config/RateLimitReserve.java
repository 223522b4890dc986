package io.github.cloudinarybackup.config;

/**
 * Admin API calls left unused in each rate-limit window, for other users of the account: a number
 * of calls ({@code 10}) or a share of the limit Cloudinary announces ({@code 10%}); either way
 * never more than a tenth of that limit, so that a small budget is still used (5 calls an hour: all
 * 5). {@code -1} turns pacing off: only Cloudinary's refusals (420) pause the listing.
 */
public record RateLimitReserve(int calls, int percent) {

  public static final RateLimitReserve OFF = new RateLimitReserve(-1, -1);

  /**
   * @throws IllegalArgumentException for anything but a whole number, a percentage or -1
   */
  public static RateLimitReserve parse(String text) {
    String value = text.trim();
    if (value.equals("-1")) {
      return OFF;
    }
    if (value.endsWith("%")) {
      int percent = Integer.parseInt(value.substring(0, value.length() - 1).trim());
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException("a percentage from 0% to 100%");
      }
      return new RateLimitReserve(-1, percent);
    }
    int calls = Integer.parseInt(value);
    if (calls < 0) {
      throw new IllegalArgumentException("a whole number of calls, a percentage, or -1");
    }
    return new RateLimitReserve(calls, -1);
  }

  public boolean off() {
    return calls < 0 && percent < 0;
  }

  /** The calls to leave unused in a window whose limit is {@code limit}. */
  public long callsOf(long limit) {
    long wanted = percent >= 0 ? limit * percent / 100 : calls;
    return Math.min(wanted, limit / 10);
  }

  @Override
  public String toString() {
    return off() ? "-1" : percent >= 0 ? percent + "%" : Integer.toString(calls);
  }
}
