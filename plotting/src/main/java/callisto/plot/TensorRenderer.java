package callisto.plot;

import callisto.display.DisplayData;
import callisto.display.Renderer;
import callisto.tensor.Tensor;
import java.util.Base64;

/**
 * A tensor renders as its text (PyTorch's layout); with {@link Plot#tensorHeatMaps(boolean)} on, a 2-D
 * floating-point one also as a heat map with a colour bar (found by ServiceLoader).
 */
public final class TensorRenderer implements Renderer<Tensor> {
    @Override
    public Class<Tensor> type() {
        return Tensor.class;
    }

    @Override
    public DisplayData render(Tensor t) {
        DisplayData text = DisplayData.text(t.toString());
        if (!Plot.tensorHeatMaps() || t.dim() != 2 || !t.dtype().isFloatingPoint() || t.numel() < 2) return text;
        ImagePlot map = Plot.imshow(t.detach()).size(360, 300);
        return text.with(DisplayData.PNG, Base64.getEncoder().encodeToString(map.toPng()));
    }
}
