package callisto.operators;

import callisto.tensor.Conv;

/**
 * The boundary condition a multigrid layer builds in, as the padding every convolution of its V-cycle uses: the
 * values its 3-point (3×3) stencils read just outside the grid. MgNO's claim is that the boundary condition of the
 * PDE is honoured by choosing this padding, not learned.
 */
public enum Boundary {
    /** u = 0 outside the grid: zero padding. */
    DIRICHLET(Conv.PaddingMode.ZEROS),
    /** Zero normal derivative at the first and last node: the grid mirrored about them (reflect padding). */
    NEUMANN(Conv.PaddingMode.REFLECT),
    /** A periodic domain: circular padding. */
    PERIODIC(Conv.PaddingMode.CIRCULAR);

    private final Conv.PaddingMode paddingMode;

    Boundary(Conv.PaddingMode paddingMode) {
        this.paddingMode = paddingMode;
    }

    /** The padding mode of the convolutions (and, as their adjoint, of the transposed ones). */
    public Conv.PaddingMode paddingMode() {
        return paddingMode;
    }
}
