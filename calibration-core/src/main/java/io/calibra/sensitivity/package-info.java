/**
 * Prompt sensitivity: how much a language-model classifier's accuracy and calibration change with
 * the prompt (which demonstrations, their order, the template), before and after calibration.
 *
 * <p>Zhao et al. 2021 ("Calibrate Before Use: Improving Few-Shot Performance of Language Models",
 * Figure 1 and Tables 1-2) showed that accuracy swings widely with these choices and that
 * contextual calibration raises the mean and shrinks the spread. {@link
 * io.calibra.sensitivity.PromptSensitivity} draws seeded prompts, scores labelled rows under each
 * through any {@link io.calibra.backend.Scorer} and reports each prompt's metrics raw, with
 * contextual calibration from the prompt's own content-free inputs and optionally with a method
 * fitted on dev rows, and the spread of each across prompts.
 */
package io.calibra.sensitivity;
