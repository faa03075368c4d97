"""Record linkage: one real person recorded in several source systems becomes one linked person."""
