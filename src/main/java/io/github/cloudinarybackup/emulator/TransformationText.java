package io.github.cloudinarybackup.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transformation string ({@code c_fill,h_150,w_150/e_sepia}) as the {@code info} Cloudinary gives
 * back: one map of parameter names to values per component, numbers as numbers. The inverse of the
 * SDK's {@code new Transformation(info).generate()}, for the parameters it abbreviates.
 */
final class TransformationText {

  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("a", "angle"),
          Map.entry("ac", "audio_codec"),
          Map.entry("af", "audio_frequency"),
          Map.entry("ar", "aspect_ratio"),
          Map.entry("b", "background"),
          Map.entry("bo", "border"),
          Map.entry("br", "bit_rate"),
          Map.entry("c", "crop"),
          Map.entry("co", "color"),
          Map.entry("cs", "color_space"),
          Map.entry("d", "default_image"),
          Map.entry("dl", "delay"),
          Map.entry("dn", "density"),
          Map.entry("dpr", "dpr"),
          Map.entry("du", "duration"),
          Map.entry("e", "effect"),
          Map.entry("eo", "end_offset"),
          Map.entry("f", "fetch_format"),
          Map.entry("fl", "flags"),
          Map.entry("fn", "custom_function"),
          Map.entry("fps", "fps"),
          Map.entry("g", "gravity"),
          Map.entry("h", "height"),
          Map.entry("if", "if"),
          Map.entry("ki", "keyframe_interval"),
          Map.entry("l", "overlay"),
          Map.entry("o", "opacity"),
          Map.entry("p", "prefix"),
          Map.entry("pg", "page"),
          Map.entry("q", "quality"),
          Map.entry("r", "radius"),
          Map.entry("so", "start_offset"),
          Map.entry("sp", "streaming_profile"),
          Map.entry("t", "transformation"),
          Map.entry("u", "underlay"),
          Map.entry("vc", "video_codec"),
          Map.entry("vs", "video_sampling"),
          Map.entry("w", "width"),
          Map.entry("x", "x"),
          Map.entry("y", "y"),
          Map.entry("z", "zoom"));

  private TransformationText() {}

  static List<Map<String, Object>> parse(String text) {
    List<Map<String, Object>> info = new ArrayList<>();
    for (String component : text.split("/")) {
      Map<String, Object> params = new LinkedHashMap<>();
      for (String param : component.split(",")) {
        int underscore = param.indexOf('_');
        String key = underscore < 0 ? null : NAMES.get(param.substring(0, underscore));
        if (key == null) {
          throw ApiError.badRequest("Invalid transformation component " + param);
        }
        params.put(key, value(param.substring(underscore + 1)));
      }
      info.add(params);
    }
    return info;
  }

  private static Object value(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException notInteger) {
      try {
        return text.matches("-?\\d+\\.\\d+") ? Double.parseDouble(text) : text;
      } catch (NumberFormatException notNumber) {
        return text;
      }
    }
  }
}
