package io.calibra.cli.options;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.ParseResult;

/**
 * A command that still accepts old option names: each is a second name of the option that replaced
 * it, left out of help ({@link HelpSections}) and met with a one-line note when used ({@link
 * #noteUses}).
 */
public interface OldNames {
  /** The old names, each with the name that replaced it. */
  Map<String, String> oldNames();

  /**
   * Tells {@code notes} about each old name used in the command line of {@code parsed} (the
   * innermost subcommand's), once per name.
   */
  static void noteUses(ParseResult parsed, Consumer<String> notes) {
    ParseResult command = parsed;
    while (command.hasSubcommand()) {
      command = command.subcommand();
    }
    noteUses(command.commandSpec().userObject(), command.originalArgs(), notes);
  }

  /**
   * Tells {@code notes} about each old name of {@code command} (when it has any) among {@code
   * args}, once per name.
   */
  static void noteUses(Object command, List<String> args, Consumer<String> notes) {
    used(command, args)
        .forEach(
            (old, current) ->
                notes.accept(old + " is the old name of " + current + "; use " + current));
  }

  /**
   * The old names of {@code command} (when it has any) among {@code args}, each with its current
   * name, in the order first used; for a command line that failed to parse, whose error names the
   * option by its current name.
   */
  static Map<String, String> used(Object command, List<String> args) {
    Map<String, String> used = new java.util.LinkedHashMap<>();
    if (command instanceof OldNames old) {
      for (String arg : args) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String current = old.oldNames().get(name);
        if (current != null) {
          used.putIfAbsent(name, current);
        }
      }
    }
    return used;
  }

  /**
   * The name an option was given by: {@code current}, or the old name of {@code command} that
   * stands for it when that was used, so that messages name the option as typed.
   */
  static String nameUsed(
      picocli.CommandLine.Model.CommandSpec spec, String current, OldNames command) {
    for (String arg : spec.commandLine().getParseResult().originalArgs()) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (current.equals(command.oldNames().get(name))) {
        return name;
      }
    }
    return current;
  }
}
