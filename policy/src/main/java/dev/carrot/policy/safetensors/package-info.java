/**
 * Carrot's own reader and writer for the safetensors format, the checkpoint format of the Hugging Face ecosystem.
 *
 * <ul>
 *   <li>{@link dev.carrot.policy.safetensors.SafetensorsWriter} writes tensors and string metadata atomically, byte
 *       for byte as the reference implementation does.</li>
 *   <li>{@link dev.carrot.policy.safetensors.SafetensorsFile} reads and validates a file, memory-mapping the data;
 *       every defect is a {@link dev.carrot.policy.safetensors.SafetensorsException} naming the file and tensor.</li>
 *   <li>{@link dev.carrot.policy.safetensors.Tensor} is one named tensor (F32, F16, BF16, I32 or I64) with
 *       conversions to Java arrays.</li>
 * </ul>
 * Files are written with {@link dev.carrot.common.AtomicFiles}.
 */
package dev.carrot.policy.safetensors;
