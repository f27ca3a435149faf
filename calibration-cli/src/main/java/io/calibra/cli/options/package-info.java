/**
 * The option groups the {@code calibra} commands share, as picocli mixins, each option described
 * once: where scores come from ({@link ScoreInputOptions}, {@link ScoreFormatOption}), where
 * results go ({@link OutputOption}), the labels ({@link LabelOptions}), the model and its backend
 * ({@link ModelOptions}, found by name in the {@link java.util.ServiceLoader} registry of {@link
 * io.calibra.backend.ScorerProvider}s) and a served model's options ({@link ServedModelOptions}).
 *
 * <p>Values are typed: an enum or a converter ({@link OptionValues}) refuses a bad value while the
 * command line is parsed, in one line with exit 2, NaN included. Help output is grouped by {@link
 * HelpSections}. Option objects are filled by picocli on one thread and not shared.
 */
package io.calibra.cli.options;
