/**
 * Few-shot prompt templates: an instruction, labelled demonstrations, an input slot and an answer
 * prefix, rendered for real inputs and for content-free inputs, with a stable fingerprint.
 *
 * <p>Templates are immutable and thread-safe. Null text is rejected; the empty string is a valid
 * input (it is one of the default content-free inputs).
 */
package io.calibra.prompt;
