/**
 * The calibration experiment, Carrot's showcase: a pipeline of the trainer's stages — generate the world
 * ({@code world}), pretrain on its corpus, SFT on its SFT split, evaluate, run the RL stage of a general job on the
 * world's RL split (written as a prompt dataset and read back as a user's would be), evaluate again. Nothing in the
 * trainer depends on it.
 */
package dev.carrot.experiments.calibration;
