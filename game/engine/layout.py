"""Memory layout of batched arrays: the batch axis innermost.

Rules work one column at a time for all games (`v[:, V_DEBT]`, `status[:, j]`,
`contrib[:, src, col]`) and reduce over the small axes (`fund.any(axis=1)`).
With the batch axis contiguous in memory those are plain vector operations
instead of strided ones, which makes a whole simulation about a quarter faster.
Indexing is unchanged (the batch is still axis 0), and numpy keeps the layout
through element-wise operations as long as every full-size operand shares it,
so everything that builds a (B, ...) array for the engine builds it here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def full(shape: tuple[int, ...], fill: Any = 0, dtype: Any = np.float64) -> NDArray[Any]:
    """A new (B, ...) array filled with `fill`, batch axis innermost."""
    return np.moveaxis(np.full((*shape[1:], shape[0]), fill, dtype=dtype), -1, 0)


def zeros(shape: tuple[int, ...], dtype: Any = np.float64) -> NDArray[Any]:
    """A new (B, ...) array of zeros, batch axis innermost."""
    return np.moveaxis(np.zeros((*shape[1:], shape[0]), dtype=dtype), -1, 0)


def batch_last(a: NDArray[Any]) -> NDArray[Any]:
    """`a` with its batch axis innermost, copied only if it is not already.

    Every state is built this way (new, taken, loaded) because numpy's sums can
    round differently by layout, and a loaded game must continue bit for bit.
    """
    if a.ndim < 2 or a.strides[0] == a.itemsize:
        return a
    return np.moveaxis(np.ascontiguousarray(np.moveaxis(a, 0, -1)), -1, 0)


def copy(a: NDArray[Any]) -> NDArray[Any]:
    """A copy that keeps the layout (ndarray.copy() would make it row-major)."""
    return a.copy(order="K")
