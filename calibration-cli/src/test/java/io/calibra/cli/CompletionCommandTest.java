package io.calibra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code calibra completion bash|zsh}: the script picocli generates from the commands'
 * declarations; sourced by bash, it registers completion of {@code calibra} and completes commands,
 * options and option values.
 */
class CompletionCommandTest {
  @TempDir static Path tmp;
  private static Path script;
  private static String bashScript;

  @BeforeAll
  static void writeTheBashScript() throws IOException {
    bashScript = Cli.run("completion", "bash").ok().out();
    script = tmp.resolve("calibra-completion.bash");
    Files.writeString(script, bashScript, StandardCharsets.UTF_8);
  }

  @Test
  void theScriptNamesEveryCommandAndItsOptions() {
    CommandLine root = new CommandLine(new Main(System.in));
    assertThat(root.getSubcommands()).containsKey("completion");
    for (CommandLine command : root.getSubcommands().values()) {
      String name = command.getCommandName();
      assertThat(bashScript).as(name).contains("local cmds", "(" + name + ")");
      for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
        if (!option.hidden()) {
          assertThat(bashScript)
              .as(name + " " + option.longestName())
              .contains(option.longestName());
        }
      }
    }
  }

  /** What a shell user does: sources the script, then presses TAB. */
  @Test
  void bashRegistersCompletionAndCompletesCommandsOptionsAndValues() throws Exception {
    assertThat(bash("complete -p calibra"))
        .isEqualTo("complete -o default -F _complete_calibra calibra");
    assertThat(bash(tab("calibra", "de"))).isEqualTo("demo");
    assertThat(bash(tab("calibra", "demo", "--ag"))).isEqualTo("--agnews --agnews-rows");
    assertThat(bash(tab("calibra", "demo", "--model", "")))
        .isEqualTo("embedded-minilm embedded-minilm-int8");
    assertThat(bash(tab("calibra", "completion", ""))).contains("bash zsh");
  }

  @Test
  void zshGetsTheSameScriptWhichLoadsBashcompinit() {
    String zsh = Cli.run("completion", "zsh").ok().out();
    assertThat(zsh).isEqualTo(bashScript).contains("ZSH_VERSION").contains("bashcompinit");
  }

  @Test
  void anotherShellIsAUsageError() {
    Cli.run("completion", "fish").exits(2, "expected bash or zsh").oneLine();
    Cli.run("completion").exits(2, "<shell>").oneLine();
  }

  /** The words typed so far, the last one being completed, as bash's completion variables. */
  private static String tab(String... words) {
    StringBuilder sb = new StringBuilder("COMP_WORDS=(");
    for (String w : words) {
      sb.append('\'').append(w).append("' ");
    }
    return sb.append("); COMP_CWORD=")
        .append(words.length - 1)
        .append("; _complete_calibra; echo \"${COMPREPLY[*]}\"")
        .toString();
  }

  private static String bash(String command) throws Exception {
    // standard error is left out: compopt, called outside a TAB press, says it is not in one
    Process p =
        new ProcessBuilder("bash", "-c", "source '" + script + "'; " + command)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void helpIsShort() {
    Cli help = Cli.run("completion", "--help").ok();
    assertThat(help.out().lines().count()).isLessThanOrEqualTo(60);
    assertThat(help.out()).contains("<shell>").contains("bash, zsh");
    assertThat(List.of(help.out().split("\n"))).allMatch(l -> l.length() <= 80);
  }
}
