package io.github.cloudinarybackup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** One-line messages that say what happened, never a bare number. */
class MessagesTest {

  @Test
  void aBareNumberOrWordGetsItsExceptionsType() {
    assertEquals(
        "ArrayIndexOutOfBoundsException: -1169846794",
        Messages.oneLine(new ArrayIndexOutOfBoundsException("-1169846794")));
    assertEquals("NullPointerException", Messages.oneLine(new NullPointerException()));
  }

  @Test
  void aSentenceStaysAsItIsOnOneLine() {
    assertEquals("Read timed out", Messages.oneLine(new IOException("Read timed out")));
    assertEquals("a b c", Messages.oneLine(new IOException("a\n  b\r\nc")));
  }

  @Test
  void aSignatureCloudinaryQuotesBackIsNotRepeated() {
    String refused =
        "Invalid Signature 0ef98d2a7cf1babc1138a03302712b86162c943a. String to sign - 'public_id=a&timestamp=1'.";
    assertEquals(
        "Invalid Signature [redacted]. String to sign - 'public_id=a&timestamp=1'.",
        Messages.oneLine(refused));
    assertEquals(
        "url ?signature=[redacted]&x=1",
        Messages.oneLine(
            "url ?signature=221fb2b23c398b674173567983d613360be3c87b3ea080f16c1f0eed00d0be0b&x=1"));
  }
}
