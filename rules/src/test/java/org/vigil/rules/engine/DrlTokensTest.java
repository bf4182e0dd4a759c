package org.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrlTokensTest {
  @Test
  void literalsAreTheStringsOfTheCodeNotOfItsComments() {
    String drl =
        "// text(\"in.a.comment\")\n"
            + "/* has(\"in.a.block\") */\n"
            + "Event( text(\"user.name\") == 'admin', has(\"event.type\", \"start\") )\n"
            + "x = \"a \\\" quote\";\n"
            + "y = \"unterminated\n";

    List<String> literals = new ArrayList<>();
    DrlTokens.of(drl, literals);

    assertThat(literals)
        .containsExactly(
            "user.name", "admin", "event.type", "start", "a \\\" quote", "unterminated");
  }

  @Test
  void tokensLeaveTheLiteralsOut() {
    assertThat(DrlTokens.of("text(\"user.name\")"))
        .extracting(DrlTokens.Token::text)
        .containsExactly("text", "(", ")");
  }
}
