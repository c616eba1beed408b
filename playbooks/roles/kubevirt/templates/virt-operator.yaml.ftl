# virt-operator, as KubeVirt v0.58.0's kubevirt-operator.yaml deploys it (its Namespace, CRD and RBAC are
# files/kubevirt-operator-crd.yaml), with the image from kubevirt_image_registry / kubevirt_image_tag.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: virt-operator
  namespace: ${kubevirt_namespace}
  labels:
    kubevirt.io: virt-operator
spec:
  replicas: 2
  selector:
    matchLabels:
      kubevirt.io: virt-operator
  strategy:
    type: RollingUpdate
  template:
    metadata:
      name: virt-operator
      labels:
        kubevirt.io: virt-operator
        name: virt-operator
        prometheus.kubevirt.io: "true"
    spec:
      priorityClassName: kubevirt-cluster-critical
      serviceAccountName: kubevirt-operator
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
      - key: CriticalAddonsOnly
        operator: Exists
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector:
                matchExpressions:
                - {key: kubevirt.io, operator: In, values: [virt-operator]}
      securityContext:
        runAsNonRoot: true
      containers:
      - name: virt-operator
        image: ${kubevirt_image_registry}/virt-operator:${kubevirt_image_tag}
        imagePullPolicy: ${kubevirt_image_pull_policy}
        command: [virt-operator]
        args: ["--port", "8443", "-v", "2"]
        env:
        - name: VIRT_OPERATOR_IMAGE
          value: ${kubevirt_image_registry}/virt-operator:${kubevirt_image_tag}
        - name: WATCH_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.annotations['olm.targetNamespaces']
        - name: KUBEVIRT_VERSION
          value: ${kubevirt_image_tag}
        ports:
        - {name: metrics, containerPort: 8443, protocol: TCP}
        - {name: webhooks, containerPort: 8444, protocol: TCP}
        readinessProbe:
          httpGet: {scheme: HTTPS, port: 8443, path: /metrics}
          initialDelaySeconds: 5
          timeoutSeconds: 10
        resources:
          requests: {cpu: 10m, memory: 400Mi}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
          seccompProfile: {type: RuntimeDefault}
        volumeMounts:
        - {name: kubevirt-operator-certs, mountPath: /etc/virt-operator/certificates, readOnly: true}
        - {name: profile-data, mountPath: /profile-data}
      volumes:
      - name: kubevirt-operator-certs
        secret: {secretName: kubevirt-operator-certs, optional: true}
      - name: profile-data
        emptyDir: {}
