package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Test vectors of the wire reference (section 4.4). The SDK's own vectors sign {@code cloud_name}
 * because they call its low-level signer directly; the server excludes it, so those are recomputed
 * here without it (Python hashlib).
 */
class SignaturesTest {

  private static final String SECRET = "hdcixPpR2iKERPwqvH6sHdK9cyac";

  @Test
  void parameterSignatures() {
    assertEquals(
        "b4ad47fb4e25c7bf5f92a20089f9db59bc302313",
        Signatures.signParameters(
            Map.of("public_id", "sample_image", "timestamp", "1315060510"), "abcd", "SHA-1"));
    Map<String, String> params =
        Map.of(
            "cloud_name",
            "dn6ot3ged",
            "timestamp",
            "1568810420",
            "username",
            "user@cloudinary.com");
    assertEquals(
        "timestamp=1568810420&username=user@cloudinary.com", Signatures.stringToSign(params));
    assertEquals(
        "400417d39455ecb7f79e3dc61b45f9008491ec90",
        Signatures.signParameters(params, SECRET, "SHA-1"));
    assertEquals(
        "a372a5bfb4c6003fb9f2b9485136546421e96761f7e690e0331191e0a0f10955",
        Signatures.signParameters(params, SECRET, "SHA-256"));
  }

  @Test
  void ampersandsInValuesAreEscaped() {
    Map<String, String> params =
        Map.of(
            "timestamp",
            "1568810420",
            "notification_url",
            "https://fake.com/callback?a=1&tags=hello,world");
    assertEquals(
        "notification_url=https://fake.com/callback?a=1%26tags=hello,world&timestamp=1568810420",
        Signatures.stringToSign(params));
    assertEquals(
        "30402738e7a56f76c8a32fad5f5b28e9b01bd67f",
        Signatures.signParameters(params, SECRET, "SHA-1"));
  }

  @Test
  void privateDownloadVectorIgnoresUnsignedAndEmptyParameters() {
    Map<String, String> params =
        Map.of(
            "format",
            "jpg",
            "public_id",
            "folder/my pic",
            "timestamp",
            "1795475696",
            "type",
            "private",
            "api_key",
            "123456789012345",
            "attachment",
            "");
    assertEquals(
        "a8f1c4e20e153f5237aa2f8de601161b2be908e9",
        Signatures.signParameters(params, "abcdefSECRET", "SHA-1"));
    assertTrue(
        Signatures.verifyParameters(
            params, "abcdefSECRET", "a8f1c4e20e153f5237aa2f8de601161b2be908e9"));
    assertFalse(
        Signatures.verifyParameters(
            params, "abcdefSECRET", "a8f1c4e20e153f5237aa2f8de601161b2be908e8"));
  }

  @Test
  void deliverySignature() {
    assertEquals(
        "omHEgeXd", Signatures.deliverySignature("folder/sample.jpg", "abcdefSECRET", false));
  }
}
