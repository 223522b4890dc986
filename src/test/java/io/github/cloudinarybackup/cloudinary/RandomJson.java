package io.github.cloudinarybackup.cloudinary;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random values of the kinds the Admin API's answers hold, as data binding reads them back
 * (Integer, Long, BigInteger, Double, Boolean, text, null, lists, maps): seeded by the caller.
 */
public final class RandomJson {

  /** Text that JSON has to escape, or that is not ASCII. */
  public static final String[] TEXTS = {
    "",
    "plain",
    "line\nbreak",
    "\"quoted\" \\ back",
    "写真/📷 shots",
    "tab\there",
    "\u0001ctl",
    "über/ünïcode",
    "a/b/c.jpg",
    " padded "
  };

  private RandomJson() {}

  public static Map<String, Object> map(Random random, int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    int fields = random.nextInt(depth == 0 ? 12 : 4);
    for (int i = 0; i < fields; i++) {
      // numbered after the text so that keys are unique, and sort differently from their order
      map.put(TEXTS[random.nextInt(TEXTS.length)] + (fields - i), value(random, depth));
    }
    return map;
  }

  public static Object value(Random random, int depth) {
    switch (random.nextInt(depth < 3 ? 10 : 8)) {
      case 0:
        return null;
      case 1:
        return TEXTS[random.nextInt(TEXTS.length)];
      case 2:
        return random.nextInt();
      case 3:
        return (random.nextLong() >>> 1) | (1L << 40); // beyond an int: read back as a Long
      case 4:
        return random.nextDouble() * 1e6;
      case 5:
        return random.nextBoolean();
      case 6:
        return new BigInteger(80, random).setBit(70); // beyond a long: read back as a BigInteger
      case 7:
        return (double) random.nextInt(100);
      case 8:
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(value(random, depth + 1));
        }
        return list;
      default:
        return map(random, depth + 1);
    }
  }
}
