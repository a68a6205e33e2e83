/**
 * Differentiable Fourier transforms and complex helpers, for spectral neural operators (FNO).
 *
 * <p><b>Complex tensors are real pairs.</b> A complex tensor is a real float tensor whose last dim has size 2,
 * holding (re, im), as PyTorch's {@code view_as_real}: a complex [b, c, n] signal is a real [b, c, n, 2] tensor.
 * {@link callisto.fft.Complex#complex} builds one, {@link callisto.fft.Complex#real} and
 * {@link callisto.fft.Complex#imag} take it apart. Axes are counted without the pair: "the last axis" of a
 * complex tensor is dim -2 of its real view.
 *
 * <p><b>Gradients.</b> The gradient of a real loss L with respect to a complex tensor is stored as
 * (∂L/∂re, ∂L/∂im). That is PyTorch's convention (its {@code .grad} is the conjugate Wirtinger derivative
 * times 2, 2·∂L/∂z̄ = ∂L/∂re + i·∂L/∂im), so gradients can be compared with PyTorch's one for one. Every
 * operation here is linear over the reals on pairs (or, for {@code mul}, {@code abs}, {@code einsum}, built
 * from real operations), so the vector-Jacobian product of a transform is its adjoint under the real inner
 * product Σ re·re' + im·im': the adjoint of {@code fft} is n times {@code ifft}, that of {@code rfft} an
 * {@code irfft} after halving the bins that stand for two, and so on. Those adjoints are the same transforms
 * again, so derivatives of every order exist (gradgradcheck).
 *
 * <p><b>Transforms.</b> {@link callisto.fft.FFT}: fft, ifft, rfft, irfft and their 2-D forms, with numpy's
 * norm modes, on JTransforms (float32 through FloatFFT, float64 through DoubleFFT), bit-identical from run to
 * run. FNO's mode selection: {@link callisto.fft.FFT#lowModes2} and {@link callisto.fft.FFT#padModes2}.
 */
package callisto.fft;
