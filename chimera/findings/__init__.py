"""What Chimera concludes from the data: computed `highlights`, the analyst's structured
output (`analysis`), and what is `prepared` once per digest for the nodes."""
