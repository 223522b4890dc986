package io.github.cloudinarybackup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** One-line messages that say what happened, never a bare number. */
class MessagesTest {

  @Test
  void aBareNumberOrWordGetsItsExceptionsType() {
    assertEquals("ArrayIndexOutOfBoundsException: -1169846794",
        Messages.oneLine(new ArrayIndexOutOfBoundsException("-1169846794")));
    assertEquals("NullPointerException", Messages.oneLine(new NullPointerException()));
  }

  @Test
  void aSentenceStaysAsItIsOnOneLine() {
    assertEquals("Read timed out", Messages.oneLine(new IOException("Read timed out")));
    assertEquals("a b c", Messages.oneLine(new IOException("a\n  b\r\nc")));
  }
}
