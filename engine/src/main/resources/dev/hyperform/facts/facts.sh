# hyperform fact gathering: POSIX sh + coreutils only, one round trip. Prints "key<TAB>value" lines;
# the controller builds nested maps from the dotted keys. Every probe tolerates a missing file or tool.
p() { printf '%s\t%s\n' "$1" "$2"; }
r() { [ -r "$1" ] && cat "$1" 2>/dev/null | head -n 1; }
p hostname "$(hostname 2>/dev/null || r /etc/hostname)"
p fqdn "$(hostname -f 2>/dev/null || hostname 2>/dev/null)"
if [ -r /etc/os-release ]; then
  . /etc/os-release
  p distro.id "${ID:-}"; p distro.version "${VERSION_ID:-}"; p distro.codename "${VERSION_CODENAME:-}"
  p distro.name "${PRETTY_NAME:-}"; p distro.like "${ID_LIKE:-}"
fi
p kernel.release "$(uname -r)"
p kernel.cmdline "$(r /proc/cmdline)"
p architecture "$(uname -m)"
p cpu.count "$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)"
p cpu.model "$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | sed 's/^[^:]*: *//')"
p cpu.flags "$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | sed 's/^[^:]*: *//')"
while IFS=: read -r k v; do
  case "$k" in
    MemTotal) p memory.total_kb "$(echo $v | cut -d' ' -f1)";;
    MemAvailable) p memory.available_kb "$(echo $v | cut -d' ' -f1)";;
    Hugepagesize) p hugepages.default_size_kb "$(echo $v | cut -d' ' -f1)";;
  esac
done < /proc/meminfo
for d in /sys/kernel/mm/hugepages/hugepages-*kB; do
  [ -d "$d" ] || continue
  s=${d##*/hugepages-}; s=${s%kB}
  p "hugepages.sizes.$s.total" "$(r $d/nr_hugepages)"; p "hugepages.sizes.$s.free" "$(r $d/free_hugepages)"
done
for n in /sys/devices/system/node/node[0-9]*; do
  [ -d "$n" ] || continue
  id=${n##*/node}
  p "numa.nodes.$id.cpus" "$(r $n/cpulist)"
  for d in "$n"/hugepages/hugepages-*kB; do
    [ -d "$d" ] || continue
    s=${d##*/hugepages-}; s=${s%kB}
    p "hugepages.nodes.$id.$s.total" "$(r $d/nr_hugepages)"; p "hugepages.nodes.$id.$s.free" "$(r $d/free_hugepages)"
  done
done
g=0; [ -d /sys/kernel/iommu_groups ] && g=$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)
p iommu.groups "$g"
if [ -d /run/systemd/system ]; then p init systemd; else p init "$(cat /proc/1/comm 2>/dev/null)"; fi
pm=unknown
for t in apt-get dnf yum zypper apk; do if command -v $t >/dev/null 2>&1; then pm=$t; break; fi; done
[ "$pm" = apt-get ] && pm=apt
p package_manager "$pm"
if command -v ip >/dev/null 2>&1; then
  p network.default_interface "$(ip -4 route show default 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n1)"
  p network.ipv4 "$(ip -4 -o addr show 2>/dev/null | awk '{print $4}' | grep -v '^127\.' | tr '\n' ' ')"
fi
if [ -d /sys/block ]; then
  for b in /sys/block/*; do
    n=${b##*/}
    case "$n" in loop*|ram*) continue;; esac
    p "block.$n.size_bytes" "$(( $(r $b/size) * 512 ))"
    p "block.$n.rotational" "$(r $b/queue/rotational)"
  done
fi
c=none
if [ -r /run/systemd/container ]; then c=$(cat /run/systemd/container)
elif [ -f /.dockerenv ]; then c=docker
elif grep -qa 'container=' /proc/1/environ 2>/dev/null; then c=$(tr '\0' '\n' < /proc/1/environ | sed -n 's/^container=//p')
fi
p container "$c"
aa=no; [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && aa=yes
p apparmor "$aa"
p user.id "$(id -u)"
p user.name "$(id -un)"
