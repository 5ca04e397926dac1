"""Models of the segmentation app."""
