package io.github.cloudinarybackup.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyset cursor: the sort position of the last item of a page. Because it names a position rather
 * than an offset, assets added or deleted between pages neither shift nor duplicate the untouched
 * ones.
 *
 * <p>On the wire it is an opaque hex string: the encoded position plus a MAC keyed by the account,
 * so cursors that were tampered with, belong to another account or to another kind of query are
 * rejected.
 *
 * @param scope which kind of query issued it, e.g. {@code list} or {@code search}
 * @param order the order the query walks
 * @param ascending the direction the query walks
 * @param last the position of the last item returned
 * @param page the number of the page that issued it (the first page is 1), so the page it leads to
 *     is {@code page + 1}; only {@link EmulatorFaults#cycleListCursor} looks at it
 */
record ListCursor(
    String scope, AssetOrder order, boolean ascending, AssetOrder.Key last, int page) {

  private static final char SEPARATOR = '\u0000';
  private static final int MAC_HEX_LENGTH = 16;

  String encode(EmulatorAccount account) {
    String payload =
        String.join(
            String.valueOf(SEPARATOR),
            scope,
            order.name(),
            ascending ? "a" : "d",
            last.primary(),
            last.assetId(),
            Integer.toString(page));
    String hex = HexFormat.of().formatHex(payload.getBytes(StandardCharsets.UTF_8));
    return hex + mac(account, hex);
  }

  /**
   * @throws ApiError 400 if the token is not a cursor this account issued for this kind of query
   */
  static ListCursor decode(String token, EmulatorAccount account, String expectedScope) {
    ApiError invalid = ApiError.badRequest("Invalid next_cursor " + token);
    if (token.length() <= MAC_HEX_LENGTH || token.length() % 2 != 0) {
      throw invalid;
    }
    String hex = token.substring(0, token.length() - MAC_HEX_LENGTH);
    if (!Signatures.constantTimeEquals(mac(account, hex), token.substring(hex.length()))) {
      throw invalid;
    }
    String[] parts;
    try {
      parts =
          new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8)
              .split(String.valueOf(SEPARATOR), -1);
    } catch (IllegalArgumentException e) {
      throw invalid;
    }
    if (parts.length != 6 || !parts[0].equals(expectedScope)) {
      throw invalid;
    }
    return new ListCursor(
        parts[0],
        AssetOrder.valueOf(parts[1]),
        "a".equals(parts[2]),
        new AssetOrder.Key(parts[3], parts[4]),
        Integer.parseInt(parts[5]));
  }

  private static String mac(EmulatorAccount account, String hex) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] key =
          (account.cloudName() + ":" + account.apiSecret()).getBytes(StandardCharsets.UTF_8);
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] tag = mac.doFinal(hex.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(tag).substring(0, MAC_HEX_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
