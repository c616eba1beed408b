# written by hyperform (role hugepages): huge pages reserved at boot
GRUB_CMDLINE_LINUX_DEFAULT="${r"${GRUB_CMDLINE_LINUX_DEFAULT}"}<#if hugepages_make_default> default_hugepagesz=${hugepages_size}</#if> hugepagesz=${hugepages_size} hugepages=${hugepages_count}"
