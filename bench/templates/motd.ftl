host ${inventory_hostname} managed by the bench (${bench_tag})
