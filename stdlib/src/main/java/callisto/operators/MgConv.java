package callisto.operators;

import callisto.nn.Conv1d;
import callisto.nn.Conv2d;
import callisto.nn.ConvTranspose1d;
import callisto.nn.ConvTranspose2d;
import callisto.nn.Module;
import callisto.nn.Sequential;
import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A linear operator from {@code inChannels} to {@code outChannels} functions, parameterized as V-cycles of a
 * multigrid solve of {@code A u = f} with learnable pieces (the linear layer of MgNO, He et al. 2024). The input is
 * the right-hand side f [batch, inChannels, n] (1-D) or [batch, inChannels, h, w] (2-D); the output is the
 * approximate solution u [batch, outChannels, ...] on the same grid.
 *
 * <p>On each level ℓ (grid ℓ has 2^ℓ times the fine spacing) a smoothing step is
 * {@code u ← u + S_ℓ ⋆ (f_ℓ − A_ℓ ⋆ u)} with 3-point (3×3) kernels A_ℓ (outChannels → inChannels) and S_ℓ
 * (inChannels → outChannels), starting from {@code u = S_ℓ ⋆ f_ℓ}. After {@code preSmooth} steps the residual is
 * restricted by a learnable stride-2 convolution R_ℓ, the next level's V-cycle solves for the correction, which a
 * learnable stride-2 transposed convolution P_ℓ brings back and adds; then {@code postSmooth} steps. The coarsest
 * level only smooths ({@code preSmooth + postSmooth} steps). Further cycles start from the previous u.
 *
 * <p>Every convolution pads by the {@link Boundary}'s mode; each prolongation is the adjoint of a restriction with
 * that padding (so on a periodic grid it wraps round). No biases: the operator is linear in f. Every spatial size
 * must be a multiple of 2^(levels − 1), and with {@link Boundary#NEUMANN} the coarsest grid needs 2 points a side
 * (reflect padding mirrors about the edge node). Parameters per level, by name: {@code levels.ℓ.A.weight},
 * {@code levels.ℓ.S.weight} and, below the coarsest, {@code levels.ℓ.R.weight} [in, in, 3...] and
 * {@code levels.ℓ.P.weight} [out, out, 3...]; the kernels start as PyTorch's conv default, U(±1/√fanIn). The coarsest
 * A exists only when it is applied (two or more smoothing steps there, or, with one level, two or more cycles): a
 * single step from zero is {@code S ⋆ f}, so every parameter takes part and the parameter count is what is trained.
 *
 * <p>With one channel and the classical weights (the Poisson stencil, weighted Jacobi, full weighting, linear
 * interpolation) a cycle is textbook geometric multigrid; the periodic case is nested exactly and contracts the
 * residual by about 0.12 per V(2,1) cycle at any n. With zero or reflect padding the coarse grids of an even-sized
 * grid are not nested at one edge (the zero outside the left edge sits one coarse spacing out; the mirror node of
 * the right edge is no coarse node), so classical weights there make a V-cycle that diverges; learned weights are
 * not bound to that alignment.
 */
public final class MgConv extends Module {
    private final int inChannels, outChannels, dims, levels, preSmooth, postSmooth, cycles;
    private final Boundary boundary;
    private final List<Level> grid = new ArrayList<>();

    /** One level's kernels: the operator A, the smoother S, and (above the coarsest) restriction R and prolongation P. */
    static final class Level extends Module {
        final Module a, s, r, p;

        Level(int in, int out, int dims, boolean coarsest, boolean needsA, Boundary boundary, DType dtype, Generator g) {
            var same = ConvOptions.defaults().padding(1).paddingMode(boundary.paddingMode());
            var down = same.stride(2);
            var up = down.outputPadding(1);
            a = needsA ? registerModule("A", conv(dims, out, in, same, dtype, g)) : null;
            s = registerModule("S", conv(dims, in, out, same, dtype, g));
            r = coarsest ? null : registerModule("R", conv(dims, in, in, down, dtype, g));
            p = coarsest ? null : registerModule("P", dims == 1
                    ? new ConvTranspose1d(out, out, 3, up, false, dtype, g)
                    : new ConvTranspose2d(out, out, new int[] {3, 3}, up, false, dtype, g));
        }

        private static Module conv(int dims, int in, int out, ConvOptions o, DType dtype, Generator g) {
            return dims == 1 ? new Conv1d(in, out, 3, o, false, dtype, g) : new Conv2d(in, out, new int[] {3, 3}, o, false, dtype, g);
        }

        /** {@code u + S ⋆ (f − A ⋆ u)}, or {@code S ⋆ f} when u is null (zero). */
        Tensor smooth(Tensor f, Tensor u) {
            return u == null ? s.forward(f) : u.add(s.forward(f.sub(a.forward(u))));
        }

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("MgConv.Level: a level runs inside its MgConv's V-cycle");
        }
    }

    /**
     * A V-cycle operator.
     *
     * @param dims       1 or 2 spatial dims
     * @param levels     grids in the hierarchy, the input's included (1: smoothing only)
     * @param preSmooth  smoothing steps on each level before going down (>= 0)
     * @param postSmooth smoothing steps after the coarse correction (>= 0; pre + post >= 1)
     * @param cycles     V-cycles applied in turn (>= 1)
     */
    public MgConv(int inChannels, int outChannels, int dims, int levels, int preSmooth, int postSmooth, int cycles,
                  Boundary boundary, DType dtype, Generator generator) {
        positive("inChannels", inChannels);
        positive("outChannels", outChannels);
        positive("levels", levels);
        positive("cycles", cycles);
        if (dims != 1 && dims != 2) throw new IllegalArgumentException("MgConv: dims = " + dims + "; expected 1 or 2");
        if (levels > 30) throw new IllegalArgumentException("MgConv: levels = " + levels + "; expected at most 30");
        if (preSmooth < 0 || postSmooth < 0 || preSmooth + postSmooth < 1) {
            throw new IllegalArgumentException("MgConv: preSmooth = " + preSmooth + ", postSmooth = " + postSmooth
                    + "; expected both >= 0 and at least one step in all");
        }
        if (boundary == null) throw new IllegalArgumentException("MgConv: boundary is null");
        if (generator == null) throw new IllegalArgumentException("MgConv: generator is null");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.dims = dims;
        this.levels = levels;
        this.preSmooth = preSmooth;
        this.postSmooth = postSmooth;
        this.cycles = cycles;
        this.boundary = boundary;
        var list = new Sequential();
        // the coarsest level's first smoothing step starts from zero and never applies A (coarse corrections start
        // from zero in every cycle); only a second step there, or a second cycle when the coarsest grid is the input's,
        // does, so otherwise A would be a parameter without a gradient, counted but never trained
        boolean coarsestUsesA = preSmooth + postSmooth >= 2 || (levels == 1 && cycles >= 2);
        for (int l = 0; l < levels; l++) {
            boolean coarsest = l == levels - 1;
            var level = new Level(inChannels, outChannels, dims, coarsest, !coarsest || coarsestUsesA, boundary, dtype, generator);
            list.add(level);
            grid.add(level);
        }
        registerModule("levels", list);
    }

    /** A 1-D V(1,0) cycle (one smoothing step per level on the way down, none up), float32. */
    public static MgConv of1d(int inChannels, int outChannels, int levels, Boundary boundary, Generator generator) {
        return new MgConv(inChannels, outChannels, 1, levels, 1, 0, 1, boundary, DType.FLOAT32, generator);
    }

    /** A 2-D V(1,0) cycle, float32. */
    public static MgConv of2d(int inChannels, int outChannels, int levels, Boundary boundary, Generator generator) {
        return new MgConv(inChannels, outChannels, 2, levels, 1, 0, 1, boundary, DType.FLOAT32, generator);
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException("MgConv: " + name + " = " + v + "; expected >= 1");
    }

    @Override
    public Tensor forward(Tensor f) {
        check(f);
        Tensor u = null;
        for (int c = 0; c < cycles; c++) u = cycle(0, f, u);
        return u;
    }

    /** One V-cycle from level {@code l} for right-hand side f, starting at u (null: zero). */
    Tensor cycle(int l, Tensor f, Tensor u) {
        Level level = grid.get(l);
        boolean coarsest = l == levels - 1;
        for (int i = 0, n = coarsest ? preSmooth + postSmooth : preSmooth; i < n; i++) u = level.smooth(f, u);
        if (coarsest) return u;
        Tensor residual = u == null ? f : f.sub(level.a.forward(u));
        Tensor correction = level.p.forward(cycle(l + 1, level.r.forward(residual), null));
        u = u == null ? correction : u.add(correction);
        for (int i = 0; i < postSmooth; i++) u = level.smooth(f, u);
        return u;
    }

    private void check(Tensor f) {
        if (f == null) throw new IllegalArgumentException("MgConv.forward: input is null");
        int[] s = f.shape();
        String layout = dims == 1 ? "[batch, " + inChannels + ", n]" : "[batch, " + inChannels + ", h, w]";
        if (s.length != dims + 2 || s[1] != inChannels) {
            throw new IllegalArgumentException("MgConv.forward: input has shape " + Arrays.toString(s) + "; expected "
                    + layout);
        }
        int factor = 1 << (levels - 1), minCoarse = boundary == Boundary.NEUMANN ? 2 : 1;
        for (int d = 2; d < s.length; d++) {
            if (s[d] % factor != 0 || s[d] / factor < minCoarse) {
                throw new IllegalArgumentException("MgConv.forward: spatial size " + s[d] + " of input " + Arrays.toString(s)
                        + " must be a multiple of 2^(levels - 1) = " + factor + " (levels = " + levels + ")"
                        + (minCoarse > 1 ? " with at least " + minCoarse + " points on the coarsest grid for " + boundary : ""));
            }
        }
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int levels() {
        return levels;
    }

    public Boundary boundary() {
        return boundary;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", dims=" + dims + ", levels=" + levels + ", pre_smooth=" + preSmooth
                + ", post_smooth=" + postSmooth + ", cycles=" + cycles + ", boundary=" + boundary.name().toLowerCase(java.util.Locale.ROOT);
    }
}
