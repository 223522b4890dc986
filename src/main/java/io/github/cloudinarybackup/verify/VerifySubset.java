package io.github.cloudinarybackup.verify;

import io.github.cloudinarybackup.catalog.AssetRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which backed-up files a verify reads, as restic's {@code --read-data-subset} chooses: all, the
 * n-th of t parts (stable from run to run, so t nightly runs cover everything), a percentage or a
 * number of files chosen at random with a seed.
 */
public final class VerifySubset {

  private static final Pattern PART = Pattern.compile("(\\d+)/(\\d+)");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)%");
  private static final Pattern COUNT = Pattern.compile("\\d+");

  private final String text;
  private final int part;
  private final int parts;
  private final double percent;
  private final long count;
  private final long seed;

  private VerifySubset(String text, int part, int parts, double percent, long count, long seed) {
    this.text = text;
    this.part = part;
    this.parts = parts;
    this.percent = percent;
    this.count = count;
    this.seed = seed;
  }

  public static VerifySubset all() {
    return new VerifySubset("all", 0, 0, 100, -1, 0);
  }

  /**
   * @param text {@code n/t}, {@code x%} or a number of files
   * @throws IllegalArgumentException with the reason
   */
  public static VerifySubset parse(String text, long seed) {
    Matcher m = PART.matcher(text);
    if (m.matches()) {
      int n = Integer.parseInt(m.group(1));
      int t = Integer.parseInt(m.group(2));
      if (t < 1 || n < 1 || n > t) {
        throw new IllegalArgumentException("--subset n/t needs 1 <= n <= t, got '" + text + "'");
      }
      return new VerifySubset(text, n, t, 0, -1, seed);
    }
    m = PERCENT.matcher(text);
    if (m.matches()) {
      double p = Double.parseDouble(m.group(1));
      if (p <= 0 || p > 100) {
        throw new IllegalArgumentException("--subset x% needs 0 < x <= 100, got '" + text + "'");
      }
      return new VerifySubset(text, 0, 0, p, -1, seed);
    }
    if (COUNT.matcher(text).matches()) {
      return new VerifySubset(text, 0, 0, 0, Long.parseLong(text), seed);
    }
    throw new IllegalArgumentException(
        "--subset takes n/t (e.g. 1/7), a percentage (e.g. 10%) or a number of files, got '"
            + text
            + "'");
  }

  /** Whether the choice is random (and the seed worth printing). */
  public boolean random() {
    return parts == 0 && (count >= 0 || percent < 100);
  }

  public long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return text;
  }

  List<AssetRecord> select(List<AssetRecord> records) {
    if (parts > 0) {
      List<AssetRecord> chosen = new ArrayList<>();
      for (AssetRecord record : records) {
        // stable: the same asset is in the same part on every run
        if (Math.floorMod(record.key().hashCode(), parts) == part - 1) {
          chosen.add(record);
        }
      }
      return chosen;
    }
    if (!random()) {
      return records;
    }
    List<AssetRecord> shuffled = new ArrayList<>(records);
    shuffled.sort(
        java.util.Comparator.comparing(AssetRecord::key)); // the catalog's order is not stable
    Collections.shuffle(shuffled, new Random(seed));
    long n =
        count >= 0
            ? Math.min(count, shuffled.size())
            : (long) Math.ceil(shuffled.size() * percent / 100);
    return shuffled.subList(0, (int) n);
  }
}
