"""DETR's set-prediction loss (Carion et al. 2020, §3.1): a Hungarian matching of predictions to ground-truth objects
(scipy.optimize.linear_sum_assignment on a class + L1 + generalized-IoU cost), then a class loss on every query
(unmatched queries must predict "no object", down-weighted) and L1 + generalized-IoU box losses on the matched ones.

Generalized IoU: Rezatofighi et al. 2019, GIoU = IoU − |C \\ (A ∪ B)| / |C|, C the smallest box enclosing A and B.
Boxes are normalised (cx, cy, w, h) as DETR predicts them. Shape legend: B batch, Q queries, K labels (K + 1 logits,
the last is "no object"), T ground-truth objects of one image.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment


@dataclass
class LossWeights:
    """DETR's defaults: the same weights serve the matching cost and the loss."""

    class_weight: float = 1.0
    l1_weight: float = 5.0
    giou_weight: float = 2.0
    no_object_weight: float = 0.1  # the class-loss weight of "no object" (DETR's eos_coef)


def center_to_corners(boxes: torch.Tensor) -> torch.Tensor:
    """[..., 4] (cx, cy, w, h) → [..., 4] (x0, y0, x1, y1)."""
    cx, cy, width, height = boxes.unbind(-1)
    return torch.stack([cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2], dim=-1)


def generalized_box_iou(first: torch.Tensor, second: torch.Tensor) -> torch.Tensor:
    """Pairwise GIoU of corner boxes first [N, 4] and second [M, 4] → [N, M], in [-1, 1]."""
    area_first = (first[:, 2] - first[:, 0]) * (first[:, 3] - first[:, 1])  # [N]
    area_second = (second[:, 2] - second[:, 0]) * (second[:, 3] - second[:, 1])  # [M]
    top_left = torch.max(first[:, None, :2], second[None, :, :2])  # [N, M, 2]
    bottom_right = torch.min(first[:, None, 2:], second[None, :, 2:])
    overlap = (bottom_right - top_left).clamp(min=0)
    intersection = overlap[..., 0] * overlap[..., 1]  # [N, M]
    union = area_first[:, None] + area_second[None, :] - intersection
    iou = intersection / union
    enclosing = (torch.max(first[:, None, 2:], second[None, :, 2:]) - torch.min(first[:, None, :2], second[None, :, :2])).clamp(min=0)
    enclosing_area = enclosing[..., 0] * enclosing[..., 1]
    return iou - (enclosing_area - union) / enclosing_area


@torch.no_grad()
def match(logits: torch.Tensor, boxes: torch.Tensor, labels: torch.Tensor, target_boxes: torch.Tensor,
          weights: LossWeights) -> tuple[torch.Tensor, torch.Tensor]:
    """Minimum-cost assignment of one image's queries (logits [Q, K+1], boxes [Q, 4]) to its objects (labels [T],
    target_boxes [T, 4]). Returns (query indices [T], object indices [T]), each object matched exactly once."""
    if labels.numel() == 0:
        empty = torch.zeros(0, dtype=torch.long)
        return empty, empty
    probabilities = logits.softmax(-1)  # [Q, K+1]
    cost = (
        -weights.class_weight * probabilities[:, labels]  # [Q, T]
        + weights.l1_weight * torch.cdist(boxes, target_boxes, p=1)
        - weights.giou_weight * generalized_box_iou(center_to_corners(boxes), center_to_corners(target_boxes))
    )
    queries, objects = linear_sum_assignment(cost.numpy())
    return torch.as_tensor(queries, dtype=torch.long), torch.as_tensor(objects, dtype=torch.long)


def set_prediction_loss(logits: torch.Tensor, boxes: torch.Tensor, targets: list[tuple[torch.Tensor, torch.Tensor]],
                        weights: LossWeights) -> tuple[torch.Tensor, dict[str, float]]:
    """DETR's loss for one decoder output: logits [B, Q, K+1], boxes [B, Q, 4]; targets[b] = (labels [T], boxes [T, 4]).

    Class loss: weighted cross-entropy over all B·Q queries (normalised by the sum of weights, as F.cross_entropy
    does). Box losses: summed over matched pairs and divided by the number of objects in the batch (at least 1).
    Returns (weighted total, its parts as floats).
    """
    batch, queries, classes = logits.shape
    no_object = classes - 1
    target_classes = torch.full((batch, queries), no_object, dtype=torch.long)
    matched_boxes, wanted_boxes = [], []
    for index, (labels, target_boxes) in enumerate(targets):
        query_indices, object_indices = match(logits[index].detach(), boxes[index].detach(), labels, target_boxes, weights)
        target_classes[index, query_indices] = labels[object_indices]
        matched_boxes.append(boxes[index, query_indices])
        wanted_boxes.append(target_boxes[object_indices])
    class_weights = torch.ones(classes)
    class_weights[no_object] = weights.no_object_weight
    class_loss = F.cross_entropy(logits.transpose(1, 2), target_classes, weight=class_weights)  # [B, K+1, Q] vs [B, Q]
    predicted = torch.cat(matched_boxes)  # [N, 4], N objects in the batch
    wanted = torch.cat(wanted_boxes)
    objects = max(len(wanted), 1)
    l1_loss = F.l1_loss(predicted, wanted, reduction="sum") / objects
    giou_loss = (1 - torch.diag(generalized_box_iou(center_to_corners(predicted), center_to_corners(wanted)))).sum() / objects
    total = weights.class_weight * class_loss + weights.l1_weight * l1_loss + weights.giou_weight * giou_loss
    return total, {"class": float(class_loss), "l1": float(l1_loss), "giou": float(giou_loss)}
