# written by hyperform (role hugepages): huge pages reserved at boot
GRUB_CMDLINE_LINUX_DEFAULT="${r"${GRUB_CMDLINE_LINUX_DEFAULT}"} ${hugepages_cmdline_args?join(" ")}"
